"""The sign-up form asks how the person wants to be named (allauth's signup form hook)."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from platform_site.models import Preferences


class DisplayNameSignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name as others should see it"),
        max_length=80,
        help_text=_("Used to greet you and in e-mails. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please write a name."))
        return name

    def signup(self, request, user):
        Preferences.objects.update_or_create(
            user=user,
            defaults={
                "display_name": self.cleaned_data["display_name"],
                "email_language": translation.get_language() or "",
            },
        )


class PreferencesForm(forms.ModelForm):
    """Display name, language of e-mails, and which notifications the person gets."""

    wanted = forms.MultipleChoiceField(
        label=_("E-mails I want to receive"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Preferences
        fields = ["display_name", "email_language", "digest"]
        widgets = {"digest": forms.RadioSelect, "email_language": forms.RadioSelect}

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["display_name"].required = True
        self.fields["display_name"].label = _("Your name as others should see it")
        self.fields["email_language"].required = True
        # Each language in its own name, as the language switch shows it.
        self.fields["email_language"].choices = [("ar", "العربية"), ("en", "English")]
        self.fields["email_language"].help_text = ""
        if not self.instance.email_language:
            self.initial["email_language"] = translation.get_language()
        self.fields["digest"].label = _("Weekly digest of the network")
        self.fields["wanted"].choices = [(c.value, c.label) for c in categories]
        self.initial["wanted"] = [
            c.value for c in categories if c.value not in self.instance.muted_categories
        ]
        self.order_fields(["display_name", "email_language", "wanted", "digest"])

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please write a name."))
        return name

    def save(self, commit=True):
        wanted = set(self.cleaned_data["wanted"])
        # Categories not offered to this person keep their earlier setting.
        offered = {c.value for c in self.categories}
        kept = [c for c in self.instance.muted_categories if c not in offered]
        self.instance.muted_categories = kept + sorted(offered - wanted)
        return super().save(commit=commit)
