"""Test settings: the real database backend and storage, in a temporary data directory."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from masterbus.config.settings.base import *  # noqa: F403
from masterbus.config.settings.base import CACHES, DATABASES, STORAGES

SECRET_KEY = "masterbus-test-key"
if os.environ.get("MASTERBUS_DATA_DIR"):  # a subprocess of a test: the test's folder
    DATA_DIR = Path(os.environ["MASTERBUS_DATA_DIR"])
else:  # the test run's own folder, removed when the run ends
    DATA_DIR = Path(tempfile.mkdtemp(prefix="masterbus-test-"))
    atexit.register(shutil.rmtree, DATA_DIR, True)
# Worker and server subprocesses started by tests share the test database, whose name they get
# in MASTERBUS_TEST_DB. SQLite: a file, not memory. PostgreSQL (scale-out run): the test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = os.environ.get("MASTERBUS_TEST_DB") or DATA_DIR / "db.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": DATA_DIR / "test.sqlite3"}
else:
    # Threads (lease heartbeats) close their connections when done, so the test database can
    # be dropped at the end of the run.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if os.environ.get("MASTERBUS_TEST_DB"):
        DATABASES["default"]["NAME"] = os.environ["MASTERBUS_TEST_DB"]
MEDIA_ROOT = DATA_DIR / "media"
if STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    STORAGES["default"]["OPTIONS"] = {"location": MEDIA_ROOT}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashing strength is not under test here; a fast hasher keeps sign-in tests quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JOB_LEASE_SECONDS = 3
# Django's live test server parses MEDIA_URL (None breaks it); nothing links to it (P18).
MEDIA_URL = "/test-media/"
# The suites upload, fuzz the API and sign in far more often than a person; tests of the limits
# lower them with settings overrides.
RATE_LIMIT_UPLOADS = RATE_LIMIT_API_TOKEN = RATE_LIMIT_API_IP = "1000000/m"
RATE_LIMIT_REMASTERS = "1000000/m"
QUOTA_ACTIVE_JOBS_GUEST = QUOTA_ACTIVE_JOBS_USER = 1000000  # jobs stay queued: no worker runs
QUOTA_GUEST_STORAGE_BYTES = 10**15
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # tests clear the cache: not RQ's database
    CACHES["default"]["LOCATION"] = CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + "/1"
