from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import NewsItem
from platform_site.fields import safe_formfield
from platform_site.uploads import clean_image


class NewsItemAdminForm(forms.ModelForm):
    """The admin's form: a title in at least one language; the lead image re-encoded."""

    class Meta:
        formfield_callback = safe_formfield  # junk ids give errors, not crashes
        model = NewsItem
        fields = [
            *(f"{field}_{code}" for field in ("title", "summary", "body") for code in ("ar", "en")),
            "status",
            "published_at",
            "visibility",
            "slug",
            "lead_image",
            "lead_image_alt_ar",
            "lead_image_alt_en",
            "working_group",
            "organisations",
        ]

    def clean_lead_image(self):
        image = self.cleaned_data.get("lead_image")
        if isinstance(image, UploadedFile):  # a new upload, not the stored file
            return clean_image(image, max_side=1600)
        return image

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == NewsItem.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()  # "empty means now"
        if (
            not (cleaned.get("title_ar") or "").strip()
            and not (cleaned.get("title_en") or "").strip()
        ):
            raise ValidationError(_("Give the title in Arabic, in English, or both."))
        for code in ("ar", "en"):
            has_title = bool((cleaned.get(f"title_{code}") or "").strip())
            has_text = any(
                (cleaned.get(f"{field}_{code}") or "").strip() for field in ("summary", "body")
            )
            if has_text and not has_title:
                self.add_error(
                    f"title_{code}", _("A text in this language needs a title in it too.")
                )
        return cleaned
