"""Test settings: the real database backend and storage, in a temporary data directory."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from masterbus.config.settings.base import *  # noqa: F403
from masterbus.config.settings.base import DATABASES, STORAGES

SECRET_KEY = "masterbus-test-key"
if os.environ.get("MASTERBUS_DATA_DIR"):  # a subprocess of a test: the test's folder
    DATA_DIR = Path(os.environ["MASTERBUS_DATA_DIR"])
else:  # the test run's own folder, removed when the run ends
    DATA_DIR = Path(tempfile.mkdtemp(prefix="masterbus-test-"))
    atexit.register(shutil.rmtree, DATA_DIR, True)
# A file, not memory: worker and server subprocesses started by tests share the test database,
# whose path they get in MASTERBUS_TEST_DB.
DATABASES["default"]["NAME"] = os.environ.get("MASTERBUS_TEST_DB") or DATA_DIR / "db.sqlite3"
DATABASES["default"]["TEST"] = {"NAME": DATA_DIR / "test.sqlite3"}
MEDIA_ROOT = DATA_DIR / "media"
STORAGES["default"]["OPTIONS"] = {"location": MEDIA_ROOT}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashing strength is not under test here; a fast hasher keeps sign-in tests quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JOB_LEASE_SECONDS = 3
# Django's live test server parses MEDIA_URL (None breaks it); nothing links to it (P18).
MEDIA_URL = "/test-media/"
