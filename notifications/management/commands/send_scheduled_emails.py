"""Reminders, weekly digests and the coordinators' daily summary (notifications.jobs).

Run it every 15 minutes (deploy/sep-scheduled-emails.timer); `--every 900` keeps it running
and repeats, which is how `make run` runs it in development. Running it twice at once, or more
often, writes each e-mail once all the same.
"""

from notifications.jobs import run_all
from platform_site.management.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Write the scheduled e-mails that are due (reminders, digests, summaries)."

    def run_once(self) -> str:
        written = run_all()
        return "Scheduled e-mails written: " + ", ".join(
            f"{name} {count}" for name, count in written.items()
        )
