from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from events.models import Event, Material
from platform_site.fields import SafeModelChoiceField, safe_formfield
from platform_site.uploads import clean_document
from platform_site.validators import validate_web_url


class RegistrationForm(forms.Form):
    """Register for an event on behalf of one of the person's member organisations."""

    organisation = SafeModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class EventAdminForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"), required=False, assume_scheme="https", validators=[validate_web_url]
    )

    class Meta:
        formfield_callback = safe_formfield  # junk ids give errors, not crashes
        model = Event
        fields = [
            *(
                f"{field}_{code}"
                for field in ("title", "summary", "description")
                for code in ("ar", "en")
            ),
            "kind",
            "language",
            "starts_at",
            "ends_at",
            "place_ar",
            "place_en",
            "online_url",
            "audience",
            "working_group",
            "status",
            "slug",
            "registration_open",
            "capacity",
            "places_per_organisation",
            "waiting_list",
        ]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if cleaned.get("audience") == Event.Audience.GROUP and not cleaned.get("working_group"):
            self.add_error("working_group", _("Choose the working group the event is for."))
        if (
            not (cleaned.get("title_ar") or "").strip()
            and not (cleaned.get("title_en") or "").strip()
        ):
            raise ValidationError(_("Give the title in Arabic, in English, or both."))
        return cleaned


class MaterialAdminForm(forms.ModelForm):
    url = forms.URLField(
        label=_("link"), required=False, assume_scheme="https", validators=[validate_web_url]
    )

    class Meta:
        formfield_callback = safe_formfield  # junk ids give errors, not crashes
        model = Material
        fields = ["event", "title_ar", "title_en", "file", "url"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.file_type = clean_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("url"):
            raise ValidationError(_("Attach a file or give a link."))
        return cleaned
