"""Spreadsheet imports nobody confirmed or declined within a day: deleted, with their files.

Run it every hour (deploy/portal-purge-import-jobs.timer); `--every 3600` keeps it running and
repeats, which is how `make run` runs it in development.
"""

import time

from django.core.management.base import BaseCommand

from platform_site.importing import purge_old_jobs


class Command(BaseCommand):
    help = "Delete spreadsheet imports left unconfirmed for a day, and their stored files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and repeat after this many seconds (development).",
        )

    def handle(self, *args, every=0, **options):
        while True:
            deleted = purge_old_jobs()
            if options["verbosity"] >= 1:
                self.stdout.write(f"Import jobs deleted: {deleted}")
            if not every:
                return
            time.sleep(every)
