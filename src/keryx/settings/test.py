"""Settings for the test suite.

SQLite and in-process tasks by default; ``KERYX_TEST_DATABASE_URL`` and ``KERYX_TEST_REDIS_URL``
switch the same suite to PostgreSQL and Redis.
"""

import os
import tempfile
import uuid
from pathlib import Path

_home = Path(tempfile.mkdtemp(prefix="keryx-test-home-"))
os.environ["KERYX_HOME"] = str(_home)
os.environ.setdefault("KERYX_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault(
    "KERYX_ENCRYPTION_KEYS",
    "P8Ue8rrFdheBh36U6GibYQHAHGxgv8UMAMiaSNCmW4U=,JFRSjM-CaPuqenzofNGe2zHc4HDSZSr71R-EKoaslYI=",
)

from keryx.settings.base import *  # noqa: E402, F403
from keryx.settings.base import database_config, huey_config  # noqa: E402

_db_url = os.environ.get("KERYX_TEST_DATABASE_URL", "")
DATABASES = {"default": database_config(_db_url or f"sqlite:///{_home / 'test.sqlite3'}")}
KERYX_EMBEDDED = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

REDIS_URL = os.environ.get("KERYX_TEST_REDIS_URL", "")
# Tasks run inline (after commit) in tests; the process tests start real consumers.
HUEY = huey_config(REDIS_URL, immediate=True)
# Clicks are written by the web process's own thread in tests; the spool and Redis paths have
# tests of their own that choose them.
KERYX_CLICKS_QUEUE = "memory"
if REDIS_URL:
    # Redis outlives a run (CI runs on the same services a developer just used), so each run
    # gets its own key prefix: a counter left by the last run cannot leak into this one.
    # Processes a test starts inherit KERYX_TEST_RUN and so share the test's cache.
    # Clearing the cache removes only this worker's keys, not the other worker's (a flush of
    # the shared database reset a rate-limit counter in the middle of another test).
    _run = os.environ.setdefault("KERYX_TEST_RUN", uuid.uuid4().hex[:12])
    CACHES = {
        "default": {
            "BACKEND": "keryx.core.cache_backends.PrefixedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"keryx-test-{_run}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = str(_home / "media")
KERYX_DJANGO_SERVES_MEDIA = True
STATIC_ROOT = str(_home / "static")
LANGUAGE_CODE = "en"
