"""A management command that runs once, or keeps running with `--every SECONDS`.

Production runs such commands from a systemd timer (deploy/); `make run` keeps them running
with `--every` instead (scripts/run_dev.py).
"""

import time

from django.core.management.base import BaseCommand


class PeriodicCommand(BaseCommand):
    """Subclasses give `run_once()`, returning the line to print (at verbosity 1 and up)."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and repeat after this many seconds (development).",
        )

    def run_once(self) -> str:
        raise NotImplementedError

    def handle(self, *args, every=0, **options):
        while True:
            line = self.run_once()
            if options["verbosity"] >= 1:
                self.stdout.write(line)
            if not every:
                return
            time.sleep(every)
