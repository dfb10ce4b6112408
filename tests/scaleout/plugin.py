"""Loaded by `make test-scaleout` (``pytest -p tests.scaleout.plugin``): the whole suite again on
PostgreSQL + Redis/RQ + S3 (the browser tests' live server included).

A few tests check what exists only in the embedded default (files on local disk, no storage
service). They are skipped in that run, each with its reason; the same behaviour on object
storage is checked by tests/core/test_storage.py and tests/scaleout/test_rq_reliability.py.

The engine's own tests (tests/engine/) use no part of either stack: the engine never imports
Django (tests/engine/test_no_django.py), so they read and write plain files and would run the
very same code a second time. They run once, in the embedded run, and are deselected here; a test
under those folders that asks for a database, a test client or a live server stops the run
instead of silently losing its scale-out half.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DISK_PATHS = "reads or writes stored files by local path (default_storage.path): disk storage only"
HARD_LINK = "checks hard links and the copy fallback of disk storage"
DISK_LISTING = "lists the song's folder on disk; test_rq_reliability lists the bucket instead"
NO_PROCESSORS = (
    "expects the embedded default's policy (no other service gets data); with S3 configured the "
    "page rightly names the object storage"
)

SKIPPED = {
    "tests/mastering/test_services.py::test_master_a_guest_song_end_to_end": DISK_PATHS,
    "tests/mastering/test_services.py::test_remaster_keeps_versions_and_reuses_the_original": (
        DISK_PATHS
    ),
    "tests/mastering/test_services.py::"
    "test_engine_error_fails_the_job_in_plain_words_and_keeps_the_original": DISK_PATHS,
    "tests/core/test_storage.py::test_disk_storage_adopts_the_file_by_hard_link": HARD_LINK,
    "tests/core/test_storage.py::test_another_filesystem_falls_back_to_a_copy": HARD_LINK,
    "tests/platform/test_worker_recovery.py::"
    "test_sigkilled_worker_loses_no_job_and_makes_one_set_of_deliveries": DISK_LISTING,
    "tests/privacy/test_pages.py::test_policy_pages_show_version_date_and_live_settings": (
        NO_PROCESSORS
    ),
}


STACK_FREE = ("tests/engine/",)
STACK_FIXTURES = {
    "db",
    "transactional_db",
    "client",
    "admin_client",
    "live_server",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _run_stack_free_tests_once(config, items)
    root = Path(str(config.rootpath))
    stale = [node for node in SKIPPED if not (root / node.split("::")[0]).is_file()]
    if stale:  # a moved test file would silently stop being skipped and fail on the stack
        raise pytest.UsageError(f"tests/scaleout/plugin.py skips tests that moved: {stale}")
    for item in items:
        reason = SKIPPED.get(item.nodeid) or SKIPPED.get(item.nodeid.split("[")[0])
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"scale-out run: {reason}"))


def _run_stack_free_tests_once(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, once = [], []
    for item in items:
        if not item.nodeid.startswith(STACK_FREE):
            kept.append(item)
            continue
        uses = STACK_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if uses or item.get_closest_marker("django_db"):
            raise pytest.UsageError(
                f"{item.nodeid} uses the stack ({', '.join(sorted(uses)) or 'django_db'}) but "
                f"lives under {STACK_FREE}, which the scale-out run leaves out: move it"
            )
        once.append(item)
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = kept
