from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Stable cursors over the primary key: rows added while a client pages are not skipped."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
