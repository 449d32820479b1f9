"""Rebuild every search document: `python manage.py rebuild_search_text` (after a deployment
that changes what a document holds, or after bulk imports that bypass the save paths)."""

from django.core.management.base import BaseCommand

from advocacy.models import PriorityStatement
from knowledge_bank.models import Resource
from members.models import Organisation
from members.search import refresh_search_documents
from platform_site.cache import bump_content_generation
from platform_site.search import remember_words
from working_groups.models import WorkingGroup


class Command(BaseCommand):
    help = "Rebuild the normalised search documents of organisations, resources and groups."

    def handle(self, *args, **options):
        ids = Organisation.objects.order_by("pk").values_list("pk", flat=True)
        count = refresh_search_documents(ids)
        self.stdout.write(f"Organisations: {count}")
        # Their save() computes the document from their own fields.
        for model in (Resource, WorkingGroup):
            rows = 0
            for row in model.objects.iterator(chunk_size=500):
                row.skip_history_when_saving = True  # no change a person made
                row.save(update_fields=["search_text"])
                rows += 1
            self.stdout.write(f"{model.__name__}: {rows}")
        # Statements' documents are their published versions' text (advocacy.services).
        texts = PriorityStatement.objects.values_list("search_text", flat=True)
        remember_words(*texts)
        self.stdout.write(f"Priority statements: {len(texts)} (words remembered)")
        for app in ("members", "knowledge_bank", "working_groups"):
            bump_content_generation(app)
