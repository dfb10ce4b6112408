"""Loaded by `make test-scaleout` (``pytest -p tests.scaleout.plugin``): the whole suite again on
PostgreSQL + Redis/RQ + S3 (the browser tests' live server included).

A few tests check what exists only in the embedded default (files on local disk, no storage
service). They are skipped in that run, each with its reason; the same behaviour on object
storage is checked by tests/core/test_storage.py and tests/scaleout/test_rq_reliability.py.
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    stale = [node for node in SKIPPED if not (root / node.split("::")[0]).is_file()]
    if stale:  # a moved test file would silently stop being skipped and fail on the stack
        raise pytest.UsageError(f"tests/scaleout/plugin.py skips tests that moved: {stale}")
    for item in items:
        reason = SKIPPED.get(item.nodeid) or SKIPPED.get(item.nodeid.split("[")[0])
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"scale-out run: {reason}"))
