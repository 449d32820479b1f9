"""Is the worker keeping up? A readiness check for `/readyz`.

A task that has been due for longer than `QUEUE_STUCK_MINUTES` (15 by default) means no worker
is taking tasks: e-mails pile up unseen. Tasks waiting for a later try are not due yet and do
not count.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max


def oldest_due_task_age() -> timedelta | None:
    """How long the longest-waiting due task has been due; None when none is waiting."""
    now = timezone.now()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    immediate = (
        waiting.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
    ).first()
    deferred = (
        waiting.filter(~Q(run_after=get_date_max()), run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
    ).first()
    due_since = min((moment for moment in (immediate, deferred) if moment), default=None)
    return None if due_since is None else now - due_since


def queue_is_healthy() -> tuple[bool, str]:
    """(ok, detail) for /readyz: not ok when a due task has waited too long."""
    limit = timedelta(minutes=getattr(settings, "QUEUE_STUCK_MINUTES", 15))
    age = oldest_due_task_age()
    if age is not None and age > limit:
        return False, f"stuck: oldest due task waiting {int(age.total_seconds() // 60)} min"
    return True, "ok"
