from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge_bank.models import Programme, Resource
from platform_site.fields import SafeModelChoiceField, safe_formfield
from platform_site.uploads import clean_document
from platform_site.validators import validate_web_url

PEOPLE = [
    "targeted",
    "targeted_girls",
    "targeted_boys",
    "targeted_women",
    "targeted_men",
    "reached",
    "reached_girls",
    "reached_boys",
    "reached_women",
    "reached_men",
]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        formfield_callback = safe_formfield
        model = Programme
        fields = [
            "title_ar",
            "title_en",
            "subsectors",
            "governorates",
            "target_groups",
            "start_date",
            "end_date",
            "status",
            *PEOPLE,
            "funders",
            "visibility",
        ]
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "subsectors": forms.CheckboxSelectMultiple,
            "governorates": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"),
            **{
                name: forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}) for name in PEOPLE
            },
        }
        labels = {"title_ar": _("Title in Arabic"), "title_en": _("Title in English")}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_ar") or cleaned.get("title_en")):
            raise ValidationError(_("Give the programme a title in Arabic, in English, or both."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        for kind in ("targeted", "reached"):
            total = cleaned.get(kind)
            parts = [cleaned.get(f"{kind}_{who}") for who in ("girls", "boys", "women", "men")]
            known = sum(part for part in parts if part)
            if total is not None and known > total:
                self.add_error(kind, _("The total is smaller than the sum of its parts."))
        return cleaned


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, Word, Excel or PowerPoint, up to 20 MB. Or give a link below."),
    )
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        validators=[validate_web_url],
        widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://"}),
    )

    class Meta:
        formfield_callback = safe_formfield
        model = Resource
        fields = [
            "title_ar",
            "title_en",
            "summary_ar",
            "summary_en",
            "kind",
            "language",
            "url",
            "subsectors",
            "working_group",
            "published_on",
            "visibility",
        ]
        widgets = {
            "summary_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "summary_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
            "subsectors": forms.CheckboxSelectMultiple,
            "published_on": forms.DateInput(
                attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"
            ),
        }
        labels = {
            "title_ar": _("Title in Arabic"),
            "title_en": _("Title in English"),
            "summary_ar": _("Summary in Arabic"),
            "summary_en": _("Summary in English"),
        }

    def __init__(self, *args, publishers=None, **kwargs):
        """`publishers`: the organisations a new resource may be published for (a choice,
        first one preselected); None when editing, where the publisher stays."""
        super().__init__(*args, **kwargs)
        if publishers is not None:
            self.fields["publisher"] = SafeModelChoiceField(
                label=_("Publisher"),
                queryset=publishers,
                empty_label=None,
                initial=self.instance.publisher_id,
                required=False,  # left out: the preselected one
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.file_type = clean_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publisher"):
            self.instance.publisher = cleaned["publisher"]
        if not (cleaned.get("title_ar") or cleaned.get("title_en")):
            raise ValidationError(_("Give the resource a title in Arabic, in English, or both."))
        if not cleaned.get("upload") and not cleaned.get("url") and not self.instance.file:
            raise ValidationError(_("Upload a document or give a link to it."))
        return cleaned
