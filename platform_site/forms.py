from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Render every form field with the site's markup (label, help, errors)."""

    field_template_name = "includes/field.html"
