"""`make run`: the web server, the task worker, the scheduled e-mails and the hourly purge of
abandoned spreadsheet imports, in one terminal.

Ctrl-C (or SIGTERM, or the end of any one of them) stops them all.
"""

import signal
import subprocess
import sys
import time


class Stop(Exception):
    pass


def _raise_stop(*_args):
    raise Stop


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    python = sys.executable
    commands = [
        [python, "manage.py", "runserver", address],
        [python, "manage.py", "db_worker", "--queue-name=*", "--interval=2"],
        [python, "manage.py", "send_scheduled_emails", "--every=900", "--verbosity=0"],
        [python, "manage.py", "purge_import_jobs", "--every=3600", "--verbosity=0"],
    ]
    # Set explicitly: a shell starting us in the background would leave Ctrl-C ignored.
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    processes = [subprocess.Popen(command) for command in commands]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in processes:
            if process.poll() is None:
                process.terminate()  # the worker finishes the task in hand, then exits
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
