from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.models import HOST_COUNTRIES, Contact, JoinRequest, Organisation, OrganisationMember
from network.models import CodeOfConduct
from platform_site.fields import safe_formfield
from platform_site.uploads import clean_image
from platform_site.validators import validate_web_url

PROFILE_FIELDS = [
    "name_ar",
    "name_en",
    "acronym",
    "aliases",
    "org_type",
    "description_ar",
    "description_en",
    "founded_year",
    "registration_country",
    "registration_number",
    "hq_country",
    "hq_city",
    "governorates",
    "host_countries",
    "subsectors",
    "target_groups",
    "website",
    "public_email",
    "public_phone",
]


class OrganisationForm(forms.ModelForm):
    """The profile fields shared by the application and the edit page."""

    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_web_url],
        widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://"}),
    )
    host_countries = forms.MultipleChoiceField(
        label=_("Countries of operation outside Syria"),
        choices=HOST_COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        formfield_callback = safe_formfield
        model = Organisation
        fields = PROFILE_FIELDS
        widgets = {
            "governorates": forms.CheckboxSelectMultiple,
            "subsectors": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "description_ar": forms.Textarea(attrs={"rows": 4, "dir": "rtl", "lang": "ar"}),
            "description_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr", "lang": "en"}),
            "name_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "name_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "public_email": forms.EmailInput(attrs={"dir": "ltr"}),
            "public_phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
            "founded_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "name_ar": _("Name in Arabic"),
            "name_en": _("Name in English"),
            "description_ar": _("Description in Arabic"),
            "description_en": _("Description in English"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["host_countries"] = self.instance.host_country_codes

    def clean_host_countries(self):
        return " ".join(self.cleaned_data["host_countries"])

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("name_ar") or "").strip()
            and not (cleaned.get("name_en") or "").strip()
        ):
            raise ValidationError(_("Give the organisation's name in Arabic, in English, or both."))
        return cleaned


class ApplicationForm(OrganisationForm):
    confirm_new = forms.BooleanField(
        label=_("My organisation is not in the list above; register it as a new organisation."),
        required=False,
    )

    accept_conduct = forms.BooleanField(required=False)
    # The version shown when the page was opened: a newer one must be read before accepting.
    conduct_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, similar=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar = similar or []
        self.conduct = CodeOfConduct.objects.current()
        if self.conduct is None:  # nothing published yet: nothing to accept
            del self.fields["accept_conduct"], self.fields["conduct_version"]
            return
        self.fields["accept_conduct"].required = True
        self.fields["accept_conduct"].label = format_html(
            '{} <a href="{}#code-of-conduct" target="_blank">{}</a>',
            _("I have read and accept, for my organisation, the network's code of conduct"),
            reverse("network:membership"),
            _("(version %(number)s)") % {"number": self.conduct.version},
        )
        self.fields["accept_conduct"].error_messages["required"] = _(
            "Applications are accepted only with the code of conduct."
        )
        self.initial["conduct_version"] = self.conduct.version

    def clean(self):
        cleaned = super().clean()
        shown = cleaned.get("conduct_version")
        if self.conduct is not None and shown is not None and shown != self.conduct.version:
            # A newer version came into force since the page was opened: read it first.
            self.data = self.data.copy()
            self.data["conduct_version"] = self.conduct.version
            self.data.pop("accept_conduct", None)
            self.add_error(
                "accept_conduct",
                ValidationError(
                    _(
                        "The code of conduct changed (version %(number)s) since you opened this "
                        "page. Please read it and accept it again."
                    )
                    % {"number": self.conduct.version},
                    code="conduct_changed",
                ),
            )
        if self.similar and not cleaned.get("confirm_new"):
            raise ValidationError(
                _(
                    "Similar organisations are already registered. If yours is one of them, ask "
                    "to join it; otherwise tick the confirmation box."
                ),
                code="similar",
            )
        return cleaned


class ProfileForm(OrganisationForm):
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 2 MB. Photo metadata is removed."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    loaded_at = forms.CharField(widget=forms.HiddenInput)

    class Meta(OrganisationForm.Meta):
        fields = [*PROFILE_FIELDS, "low_profile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("loaded_at", self.instance.updated_at.isoformat())

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        return clean_image(upload) if upload else None

    def clean_loaded_at(self):
        if self.cleaned_data["loaded_at"] != self.instance.updated_at.isoformat():
            raise ValidationError(
                _(
                    "Someone else saved this profile after you opened it. Your changes were not "
                    "saved; open the page again to see the latest version."
                ),
                code="stale",
            )
        return self.cleaned_data["loaded_at"]


class ContactForm(forms.ModelForm):
    public_consent = forms.BooleanField(
        label=_("This person agrees that their name and details are shown publicly."),
        required=False,
    )

    class Meta:
        formfield_callback = safe_formfield
        model = Contact
        fields = ["name", "title", "email", "phone", "visibility"]
        widgets = {
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.public_consent_at:
            self.initial["public_consent"] = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("visibility") == Contact.Visibility.PUBLIC and not cleaned.get(
            "public_consent"
        ):
            self.add_error(
                "public_consent",
                _("A contact is shown publicly only with the person's consent."),
            )
        return cleaned


ContactFormSet = inlineformset_factory(
    Organisation,
    Contact,
    form=ContactForm,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class JoinRequestForm(forms.ModelForm):
    class Meta:
        formfield_callback = safe_formfield
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        labels = {"message": _("A short note for the organisation's administrators")}


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"))
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationMember.Role.choices)


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )
