"""Object storage that does not answer (MEDIA_STORAGE=s3, docs/deploy.md, "Outages").

Pages do not need the storage: logo addresses are signed inside the app, and when the browser
cannot load a logo the organisation's initial shows instead (`img[data-initial]` in site.css).
Only saving an upload and reading a document need it. An upload that fails raises one of
`STORAGE_ERRORS` before the row that would point to it is written; `StorageUnavailableMiddleware`
turns any such error a view lets through into a translated 503 page (the view's transaction has
rolled back by then: nothing changed). Views with a form of their own may catch the error first
and show it beside the field (the profile's logo does).
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.shortcuts import render

logger = logging.getLogger("platform_site.storage")

# botocore's connection, timeout and credential errors, and S3's own error answers (a 5xx).
STORAGE_ERRORS = (BotoCoreError, ClientError)


def storage_failed(error: Exception) -> None:
    """One log line for a storage call that failed."""
    logger.warning("Object storage unavailable (%s): %s", type(error).__name__, error)


class StorageUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, STORAGE_ERRORS):
            return None
        storage_failed(exception)
        return render(request, "storage_unavailable.html", status=503)
