"""Model choice fields for the site's forms.

Django's ModelChoiceField passes any whole number to the database; one larger than 64 bits
makes the query itself fail (OverflowError on SQLite, DataError on PostgreSQL): a 500 instead
of "Select a valid choice". These fields refuse such values first.

The choices of the small vocabularies (governorates, sub-sectors, target groups: a few dozen
rows that rarely change) and of the filters' organisation lists are read once per worker
until their content changes (KeptChoiceIterator), instead of a query per form shown; a
chosen value is still checked against the database.
"""

from django import forms
from django.db import models

from platform_site.cache import APPS as CONTENT_APPS
from platform_site.process_cache import process_cached

VOCABULARIES = {"members.governorate", "members.subsector", "members.targetgroup"}


def _whole_table(query) -> bool:
    """Is this the model's whole table in its own order (`Model.objects.all()`)?"""
    return not (
        query.where
        or query.order_by
        or query.extra
        or query.annotations
        or query.distinct
        or query.is_sliced
        or query.select_related
        or query.combinator
        or query.deferred_loading[0]
    )


class KeptChoiceIterator(forms.models.ModelChoiceIterator):
    """The rows of a model choice field from this worker's copy; labels are made when shown,
    in the reader's language. Knows django-filter's "null" choice too.

    A whole table is kept until its app changes; any other queryset (the organisations a
    filter offers, which depend on the reader's audience and join other apps) is kept under
    its SQL, which holds the audience's condition, until any content changes."""

    def _rows(self) -> list:
        queryset = self.queryset
        meta = queryset.model._meta
        if _whole_table(queryset.query):
            name, apps = f"choices:{meta.label_lower}", (meta.app_label,)
        else:
            name, apps = f"choices:{meta.label_lower}:{queryset.query}", CONTENT_APPS
        return process_cached(name, apps, lambda: list(queryset))

    def _extra(self) -> list:
        extra = [("", self.field.empty_label)] if self.field.empty_label is not None else []
        if getattr(self.field, "null_label", None) is not None:
            extra.append((self.field.null_value, self.field.null_label))
        return extra

    def __iter__(self):
        yield from self._extra()
        for row in self._rows():
            yield self.choice(row)

    def __len__(self):
        return len(self._rows()) + len(self._extra())


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


class VocabularyMultipleChoiceField(SafeModelMultipleChoiceField):
    iterator = KeptChoiceIterator


class VocabularyChoiceField(SafeModelChoiceField):
    iterator = KeptChoiceIterator


def safe_formfield(db_field, **kwargs):
    """`Meta.formfield_callback` for model forms: relations get the safe fields, and those to
    a vocabulary its cached choices."""
    vocabulary = db_field.related_model and db_field.related_model._meta.label_lower in VOCABULARIES
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault(
            "form_class",
            VocabularyMultipleChoiceField if vocabulary else SafeModelMultipleChoiceField,
        )
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault(
            "form_class", VocabularyChoiceField if vocabulary else SafeModelChoiceField
        )
    return db_field.formfield(**kwargs)
