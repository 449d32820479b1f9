"""Spreadsheet imports nobody confirmed or declined within a day: deleted, with their files.

Run it every hour (deploy/portal-purge-import-jobs.timer); `--every 3600` keeps it running and
repeats, which is how `make run` runs it in development.
"""

from platform_site.importing import purge_old_jobs
from platform_site.management.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Delete spreadsheet imports left unconfirmed for a day, and their stored files."

    def run_once(self) -> str:
        return f"Import jobs deleted: {purge_old_jobs()}"
