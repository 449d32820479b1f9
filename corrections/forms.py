from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from corrections.models import CORRECTABLE_FIELDS
from members.models import Organisation


def display_value(organisation_field, value) -> str:
    """A stored or proposed value as people read it (labels for coded values)."""
    if value in ("", None):
        return ""
    if organisation_field.choices:
        return str(dict(organisation_field.flatchoices).get(value, value))
    return str(value)


LABELS = {
    "name_ar": _("Name in Arabic"),
    "name_en": _("Name in English"),
    "description_ar": _("Description in Arabic"),
    "description_en": _("Description in English"),
}


def field_label(name):
    """How people read a profile field's name ("Name in Arabic", not "name [ar]")."""
    return LABELS.get(name) or Organisation._meta.get_field(name).verbose_name


class SuggestForm(forms.Form):
    """Every correctable field, filled with the current value; what differs is the suggestion."""

    reason = forms.CharField(
        label=_("Why should this change? Where does the information come from?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        initial = {name: getattr(organisation, name) for name in CORRECTABLE_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        fields = {}
        for name in CORRECTABLE_FIELDS:
            model_field = Organisation._meta.get_field(name)
            extra = {"assume_scheme": "https"} if name == "website" else {}
            field = model_field.formfield(required=False, **extra)
            if name.startswith("description"):
                field.widget = forms.Textarea(attrs={"rows": 4})
            if name == "aliases":
                field.widget = forms.Textarea(attrs={"rows": 2})
            field.label = LABELS.get(name, field.label)
            fields[name] = field
        self.fields = {**fields, "reason": self.fields["reason"]}

    def clean(self):
        cleaned = super().clean()
        proposed = {}
        for name in CORRECTABLE_FIELDS:
            if name not in cleaned:
                continue
            model_field = Organisation._meta.get_field(name)
            value = cleaned[name]
            if value in ("", None):
                value = None if model_field.null else ""
            try:
                model_field.run_validators(value) if value not in ("", None) else None
            except ValidationError as error:
                self.add_error(name, error)
                continue
            current = getattr(self.organisation, name)
            if (current in ("", None) and value in ("", None)) or current == value:
                continue
            proposed[name] = value
        name_ar = proposed.get("name_ar", self.organisation.name_ar)
        name_en = proposed.get("name_en", self.organisation.name_en)
        if not (name_ar or name_en):
            raise ValidationError(_("The organisation needs a name in Arabic or in English."))
        if not proposed and not self.errors:
            raise ValidationError(_("Change at least one value before sending."))
        self.proposed = proposed
        return cleaned


class DecisionForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept the ticked values")), (DECLINE, _("Decline"))],
        widget=forms.HiddenInput,
    )
    fields_accepted = forms.MultipleChoiceField(
        label=_("Values to accept"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Reason (sent to the person who suggested it)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, correction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_accepted"].choices = [
            (name, str(field_label(name))) for name in correction.proposed
        ]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.ACCEPT and not cleaned.get("fields_accepted"):
            self.add_error("fields_accepted", _("Tick at least one value to accept."))
        if decision == self.DECLINE and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the suggestion is declined."))
        return cleaned
