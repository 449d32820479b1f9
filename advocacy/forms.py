from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.models import ContactMessage, PriorityStatement
from platform_site.fields import SafeModelChoiceField, safe_formfield

STATEMENT_FIELDS = [
    "title_ar",
    "title_en",
    "summary_ar",
    "summary_en",
    "body_ar",
    "body_en",
    "subsectors",
    "governorates",
]


class StatementForm(forms.ModelForm):
    """The working copy. On a new statement the author is chosen among the user's own
    organisations and the groups they lead."""

    author = forms.ChoiceField(label=_("On behalf of"))

    class Meta:
        formfield_callback = safe_formfield
        model = PriorityStatement
        fields = STATEMENT_FIELDS
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "summary_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "summary_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
            "body_ar": forms.Textarea(attrs={"rows": 14, "dir": "rtl", "lang": "ar"}),
            "body_en": forms.Textarea(attrs={"rows": 14, "dir": "ltr", "lang": "en"}),
            "subsectors": forms.CheckboxSelectMultiple,
            "governorates": forms.CheckboxSelectMultiple,
        }
        labels = {
            "title_ar": _("Title in Arabic"),
            "title_en": _("Title in English"),
            "summary_ar": _("Summary in Arabic"),
            "summary_en": _("Summary in English"),
            "body_ar": _("Text in Arabic"),
            "body_en": _("Text in English"),
        }

    def __init__(self, *args, organisations=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["author"]
        else:
            self.fields["author"].choices = [
                (f"organisation:{o.pk}", o.display_name) for o in organisations
            ] + [(f"group:{g.pk}", str(g)) for g in groups]
            self._authors = {f"organisation:{o.pk}": o for o in organisations}
            self._authors |= {f"group:{g.pk}": g for g in groups}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("title_ar") or cleaned.get("title_en")):
            raise ValidationError(_("Give the statement a title in Arabic, in English, or both."))
        return cleaned

    def save(self, commit=True):
        statement = super().save(commit=False)
        if "author" in self.fields:
            author = self._authors[self.cleaned_data["author"]]
            if self.cleaned_data["author"].startswith("organisation:"):
                statement.author_organisation = author
            else:
                statement.author_group = author
        if commit:
            statement.save()
            self.save_m2m()
        return statement


class EndorseForm(forms.Form):
    organisation = SafeModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    confirm = forms.BooleanField(
        label=_(
            "I confirm that this organisation endorses the statement and agrees to be "
            "listed publicly among its signatories."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ContactMessageForm(forms.ModelForm):
    # Left empty by people; filled by bots. Hidden with CSS, labelled for screen readers.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        # Hidden from people (and screen readers): keep it out of the keyboard's way too.
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        formfield_callback = safe_formfield
        model = ContactMessage
        fields = ["name", "organisation", "email", "topic", "message"]
        widgets = {
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"organisation": _("Organisation (optional)")}


class BallotForm(forms.Form):
    """One whole-number field per candidate; the total is checked by the service."""

    organisation = SafeModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)

    def __init__(self, *args, candidates, organisations, initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"candidate_{candidate.pk}"] = forms.IntegerField(
                label=str(candidate),
                min_value=0,
                max_value=100,
                required=False,
                initial=(initial_points or {}).get(candidate.pk, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "points"}),
            )

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data.get(f"candidate_{c.pk}") or 0 for c in self.candidates}

    def candidate_fields(self):
        return [(candidate, self[f"candidate_{candidate.pk}"]) for candidate in self.candidates]
