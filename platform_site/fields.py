"""Model choice fields that refuse ids the database cannot even compare.

Django's ModelChoiceField passes any whole number to the database; one larger than 64 bits
makes the query itself fail (OverflowError on SQLite, DataError on PostgreSQL): a 500 instead
of "Select a valid choice". These fields refuse such values first.
"""

from django import forms
from django.db import models

LIMIT = 2**63


def _in_range(value) -> bool:
    try:
        return -LIMIT < int(str(value).strip()) < LIMIT
    except (TypeError, ValueError):
        return True  # not a number at all: Django's own validation answers it


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if self.to_field_name is None and value not in self.empty_values and not _in_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if self.to_field_name is None:
            for item in value:
                if not _in_range(item):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


def safe_formfield(db_field, **kwargs):
    """`Meta.formfield_callback` for model forms: relations get the safe fields."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    return db_field.formfield(**kwargs)
