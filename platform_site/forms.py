from html import escape as _escape

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

WIDGETS = "django/forms/widgets/"
SELECT_TEMPLATE = WIDGETS + "select.html"
OPTION_TEMPLATE = WIDGETS + "select_option.html"
TEXTAREA_TEMPLATE = WIDGETS + "textarea.html"
LABEL_TEMPLATE = "django/forms/label.html"
# Templates that are Django's input.html and nothing else.
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input", "text", "email", "url", "number", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox",
    )
}  # fmt: skip
# multiple_input.html, and the options it includes (input_option.html).
MULTIPLE_INPUT_TEMPLATES = {WIDGETS + "checkbox_select.html", WIDGETS + "radio.html"}
INPUT_OPTION_TEMPLATES = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}


def _e(value) -> str:
    """Django's conditional_escape without its lazy-string wrappers, which cost more than the
    escaping itself when a form has hundreds of options (the profile form's two country lists)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def _attributes(attrs: dict) -> str:
    """The same attributes as django/forms/widgets/attrs.html writes."""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_e(widget["value"])}"'
    attrs = _attributes(widget["attrs"])
    return f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{value}{attrs}>'


def render_input(widget: dict) -> str:
    """Django's input.html."""
    return mark_safe(_input(widget))


def render_textarea(widget: dict) -> str:
    """Django's textarea.html."""
    return mark_safe(
        f'<textarea name="{_e(widget["name"])}"{_attributes(widget["attrs"])}>\n'
        f"{_e(widget['value'] or '')}</textarea>"
    )


def render_multiple_input(widget: dict) -> str:
    """Django's multiple_input.html with input_option.html for each option (checkboxes and
    radio buttons), newlines included: a label's text keeps the space before it."""
    attrs = widget["attrs"]
    id_ = f' id="{_e(attrs["id"])}"' if attrs.get("id") else ""
    class_ = f' class="{_e(attrs["class"])}"' if attrs.get("class") else ""
    parts = [f"<div{id_}{class_}>"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_e(group_name)}</label>")
        for option in options:
            field = _input(option)
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{_e(option_id)}"' if option_id else ""
                field = f"<label{label_for}>{field}\n {_e(option['label'])}</label>\n\n"
            else:
                field = f"{field}\n\n\n"
            parts.append(f"<div>\n    {field}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))


def render_label(context: dict) -> str:
    """Django's label.html (a field's <label> or <legend>, or its bare text)."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = _e(context["tag"])
    attrs = _attributes(context["attrs"])
    return mark_safe(f"<{tag}{attrs}>{_e(context['label'])}</{tag}>")


def render_select(widget: dict) -> str:
    """The markup of Django's select.html and select_option.html, written in Python.

    Through templates a select costs one template include per option; the filter forms of the
    list pages have about a hundred options, which was a quarter of the directory's server time.
    """
    parts = [f'<select name="{_e(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        parts.extend(
            f'\n  <option value="{_e(option["value"])}"{_attributes(option["attrs"])}>'
            f"{_e(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


REQUIRED_MARK = mark_safe(' <span class="required" aria-hidden="true">*</span>')


def render_field_group(field) -> str:
    """The site's includes/field.html for one bound field: its label (a legend for a group of
    choices), the widget, the help text and the errors."""
    required = REQUIRED_MARK if field.field.required else ""
    checkbox = field.widget_type == "checkbox"
    if checkbox:
        body = format_html("{} {}", field, field.label_tag())
    elif field.use_fieldset:
        body = format_html(
            '<fieldset><legend class="form-label">{}{}</legend>{}</fieldset>',
            field.label,
            required,
            field,
        )
    else:
        body = format_html("{}{}\n{}", field.label_tag(), required, field)
    help_text = (
        format_html(
            '<div class="form-text" id="{}_helptext">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    errors = field.errors
    error_list = (
        format_html(
            '<div class="invalid-feedback d-block">{}</div>',
            mark_safe("<br>".join(conditional_escape(error) for error in errors)),
        )
        if errors
        else ""
    )
    return format_html(
        '<div class="field mb-3{}{}">\n{}\n{}\n{}\n</div>',
        " has-error" if errors else "",
        " field-check" if checkbox else "",
        body,
        help_text,
        error_list,
    )


def _options_use(widget: dict, templates) -> bool:
    return all(
        option["template_name"] in templates
        for _name, options, _index in widget.get("optgroups", ())
        for option in options
    )


class SiteFormRenderer(TemplatesSetting):
    """Render every form field with the site's markup (label, help, errors).

    The site's field group (includes/field.html) and Django's own templates that the site
    does not override (selects, inputs, text areas, checkboxes, radio buttons and labels) are
    written in Python with exactly their markup (tests/platform_site/test_select_rendering.py
    compares them on the site's forms): through templates each field, and each option, costs
    template includes, which made most of the server time of a long form such as an
    organisation's profile (CPU in one process: 55 ms all templates, 39 ms with the widgets
    in Python, about 20 with the field group and the vocabularies cached too). Any other
    template is rendered as usual;
    a change to includes/field.html must be made in render_field_group as well.
    """

    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
        if template_name == self.field_template_name and "field" in context:
            return render_field_group(context["field"])
        if template_name == LABEL_TEMPLATE:
            return render_label(context)
        widget = context.get("widget", {})
        if template_name in INPUT_TEMPLATES:
            return render_input(widget)
        if template_name == TEXTAREA_TEMPLATE:
            return render_textarea(widget)
        if template_name == SELECT_TEMPLATE and _options_use(widget, {OPTION_TEMPLATE}):
            return render_select(widget)
        if template_name in MULTIPLE_INPUT_TEMPLATES and _options_use(
            widget, INPUT_OPTION_TEMPLATES
        ):
            return render_multiple_input(widget)
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
