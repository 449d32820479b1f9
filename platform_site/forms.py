from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html, format_html_join
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


def render_input(widget: dict) -> str:
    """Django's input.html."""
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value,
        _attributes(widget["attrs"]),
    )


def render_textarea(widget: dict) -> str:
    """Django's textarea.html."""
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        _attributes(widget["attrs"]),
        widget["value"] or "",
    )


def render_multiple_input(widget: dict) -> str:
    """Django's multiple_input.html with input_option.html for each option (checkboxes and
    radio buttons), newlines included: a label's text keeps the space before it."""
    attrs = widget["attrs"]
    parts = [
        format_html(
            "<div{}{}>",
            format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
            format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
        )
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html("\n  <div><label>{}</label>", group_name))
        for option in options:
            field = render_input(option)
            if option["wrap_label"]:
                label_for = (
                    format_html(' for="{}"', option["attrs"]["id"])
                    if option["attrs"].get("id")
                    else ""
                )
                field = format_html(
                    "<label{}>{}\n {}</label>\n\n", label_for, field, option["label"]
                )
            else:
                field = format_html("{}\n\n\n", field)
            parts.append(format_html("<div>\n    {}</div>", field))
        if group_name:
            parts.append(mark_safe("\n  </div>"))
    parts.append(mark_safe("\n</div>"))
    return mark_safe("".join(parts))


def render_label(context: dict) -> str:
    """Django's label.html (a field's <label> or <legend>, or its bare text)."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = context["tag"]
    return format_html("<{}{}>{}</{}>", tag, _attributes(context["attrs"]), context["label"], tag)


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


def _options_use(widget: dict, templates) -> bool:
    return all(
        option["template_name"] in templates
        for _name, options, _index in widget.get("optgroups", ())
        for option in options
    )


class SiteFormRenderer(TemplatesSetting):
    """Render every form field with the site's markup (label, help, errors).

    Django's own templates that the site does not override (selects, inputs, text areas,
    checkboxes, radio buttons and labels) are written in Python with exactly their markup
    (tests/platform_site/test_select_rendering.py compares them on the site's forms): through
    templates each field, and each option, costs template includes, which made most of the
    server time of a long form such as an organisation's profile (55 → 39 ms of CPU). Any
    other template is rendered as usual.
    """

    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
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
