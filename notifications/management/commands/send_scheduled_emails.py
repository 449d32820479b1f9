"""Reminders, weekly digests and the coordinators' daily summary (notifications.jobs).

Run it every 15 minutes (deploy/sep-scheduled-emails.timer); `--every 900` keeps it running
and repeats, which is how `make run` runs it in development. Running it twice at once, or more
often, writes each e-mail once all the same.
"""

import time

from django.core.management.base import BaseCommand

from notifications.jobs import run_all


class Command(BaseCommand):
    help = "Write the scheduled e-mails that are due (reminders, digests, summaries)."

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
            written = run_all()
            if options["verbosity"] >= 1:
                self.stdout.write(
                    "Scheduled e-mails written: "
                    + ", ".join(f"{name} {count}" for name, count in written.items())
                )
            if not every:
                return
            time.sleep(every)
