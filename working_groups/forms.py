from django import forms
from django.utils.translation import gettext_lazy as _

from platform_site.fields import SafeModelChoiceField, safe_formfield
from working_groups.models import Meeting, MeetingAnswer


class JoinGroupForm(forms.Form):
    """The organisation is chosen among the user's own active organisations only."""

    organisation = SafeModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    note = forms.CharField(
        label=_("A short note for the group's leads"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class LeaveGroupForm(forms.Form):
    membership = SafeModelChoiceField(queryset=None)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships


class MeetingForm(forms.ModelForm):
    class Meta:
        formfield_callback = safe_formfield
        model = Meeting
        fields = ["title", "starts_at", "location_or_link", "visibility", "agenda", "minutes"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "dir": "ltr"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"starts_at": _("Damascus time.")}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=MeetingAnswer.Answer.choices)
