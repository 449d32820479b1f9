"""A bare Django app in one file: the yardstick for the site's trivial view (bench/run.py).

One view that answers "ok", no database, no templates, no apps, and NO middleware at all (the
floor: what Django's request handling costs by itself). With BENCH_BARE_MIDDLEWARE=startproject
it runs the seven middleware of a new `django-admin startproject` instead.

    gunicorn bench.bare:application -c deploy/gunicorn.conf.py --bind 127.0.0.1:8112
"""

import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
STARTPROJECT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
STARTPROJECT = os.environ.get("BENCH_BARE_MIDDLEWARE") == "startproject"


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("healthz", ok)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bare-bench-app-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=STARTPROJECT_MIDDLEWARE if STARTPROJECT else [],
        INSTALLED_APPS=STARTPROJECT_APPS if STARTPROJECT else [],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        DATABASES={},
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
