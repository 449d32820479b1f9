from django import template

from platform_site import audit

register = template.Library()


@register.filter
def change_reason(history_row) -> str:
    """Why a change was made: the recorded reason or the row's own reason field, else ""."""
    return audit.reason(history_row)
