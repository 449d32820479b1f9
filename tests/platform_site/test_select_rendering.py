"""Selects are rendered in Python (platform_site.forms); the markup must stay Django's."""

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
