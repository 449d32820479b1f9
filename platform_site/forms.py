from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attributes(attrs: dict) -> str:
    """The same attributes as django/forms/widgets/attrs.html writes."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(widget: dict) -> str:
    """The markup of Django's select.html and select_option.html, written in Python.

    Through templates a select costs one template include per option; the filter forms of the
    list pages have about a hundred options, which was a quarter of the directory's server time.
    """
    parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>',
                option["value"],
                _attributes(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    parts.append(mark_safe("\n</select>"))
    return mark_safe("".join(parts))


class SiteFormRenderer(TemplatesSetting):
    """Render every form field with the site's markup (label, help, errors)."""

    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget", {})
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in widget.get("optgroups", ())
            for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request)


class AuditFilterForm(forms.Form):
    """The audit log's filters: who, what kind of object, when. Every field may stay empty."""

    email = forms.CharField(
        label=_("Who (e-mail address or part of it)"), required=False, max_length=254
    )
    kind = forms.ChoiceField(label=_("What kind"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *kinds]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first date must come before the second."))
        return cleaned
