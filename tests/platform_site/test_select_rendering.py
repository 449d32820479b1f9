"""Selects are rendered in Python (platform_site.forms); the markup must stay Django's."""

import difflib
import re

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from members.models import Governorate
from platform_site.forms import SiteFormRenderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "Ä & <b>"), ("b", 'B "quoted"')])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("other", "Other")]
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    flagged = forms.ChoiceField(
        choices=[("1", "One")],
        widget=forms.Select(attrs={"disabled": True, "data-hidden": False, "class": "x y"}),
    )


def _markup(html):
    """Templates leave a newline after each included option; browsers ignore it."""
    return re.sub(r">\s+<", "><", str(html))


def _render(renderer, data):
    form = Sample(data, renderer=renderer)
    return {name: _markup(form[name]) for name in form.fields}


def test_python_select_matches_the_template_markup():
    data = {"plain": "a", "grouped": "pear", "several": ["x", "z"], "flagged": "1"}
    ours, django = _render(SiteFormRenderer(), data), _render(TemplatesSetting(), data)
    assert ours == django
    assert '<option value="a" selected>Ä &amp; &lt;b&gt;</option>' in ours["plain"]
    assert "data-hidden" not in ours["flagged"] and " disabled" in ours["flagged"]


@pytest.mark.django_db
def test_model_choices_match_too():
    class Filter(forms.Form):
        governorate = forms.ModelChoiceField(
            Governorate.objects.all(), to_field_name="pcode", required=False
        )

    ours = _markup(Filter({"governorate": "SY07"}, renderer=SiteFormRenderer())["governorate"])
    django = _markup(Filter({"governorate": "SY07"}, renderer=TemplatesSetting())["governorate"])
    assert ours == django
    assert '<option value="SY07" selected>' in ours


def test_custom_option_templates_still_go_through_templates():
    class Radios(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    assert 'type="radio"' in str(Radios(renderer=SiteFormRenderer())["choice"])


# --- every widget the site renders in Python, on the site's real forms --------------------


class TemplatesOnly(TemplatesSetting):
    """The site's renderer without its Python widgets: every widget through its template."""

    field_template_name = SiteFormRenderer.field_template_name


class EveryWidget(forms.Form):
    text = forms.CharField(initial='a & "b"', max_length=20)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(initial=3)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h")
    password = forms.CharField(widget=forms.PasswordInput)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="x < y\nz")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(initial=True)
    several = forms.MultipleChoiceField(
        choices=[("Group & co", [("1", "One & <i>")]), ("2", "Two")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
        initial=["1"],
    )
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    helped = forms.CharField(required=False, help_text="Tom & <Jerry>", label="A <b> label")


@pytest.mark.parametrize("data", [None, {"text": "<script>", "several": ["2"], "one": "x"}])
def test_inputs_text_areas_checkboxes_and_radios_match_the_template_markup(data):
    ours = str(EveryWidget(data, renderer=SiteFormRenderer()))
    django = str(EveryWidget(data, renderer=TemplatesOnly()))
    assert ours == django
    assert 'value="a &amp; &quot;b&quot;"' in ours or "&lt;script&gt;" in ours


@pytest.fixture
def template_renderer(settings):
    """Switch the site to Django's template-only renderer (and back)."""
    from django.forms.renderers import get_default_renderer

    def use(path):
        settings.FORM_RENDERER = path
        get_default_renderer.cache_clear()

    yield use
    get_default_renderer.cache_clear()


PAGES = [
    "/ar/organisations/{slug}/edit/",
    "/en/organisations/{slug}/edit/",
    "/ar/organisations/register/",
    "/ar/knowledge-bank/programmes/new/?organisation={slug}",
    "/ar/knowledge-bank/new/",
    "/ar/priorities/new/",
    "/ar/organisations/",
    "/ar/accounts/signup/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_the_site_forms_are_the_same_with_either_renderer(client, page, template_renderer):
    from tests.conftest import make_organisation, make_user

    editor = make_user()
    organisation = make_organisation(members=[(editor, "admin")])
    if "signup" not in page:
        client.force_login(editor)
    path = page.format(slug=organisation.slug)

    def markup():
        response = client.get(path)
        assert response.status_code == 200, path
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return _markup(page).replace("><", ">\n<")  # line by line, for the difference

    ours = markup()
    template_renderer(f"{__name__}.TemplatesOnly")
    theirs = markup()
    difference = list(
        difflib.unified_diff(theirs.splitlines(), ours.splitlines(), lineterm="", n=1)
    )
    assert not difference, "\n".join(difference[:20])
