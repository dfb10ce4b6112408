"""An album version's status and progress, read from its tracks' jobs."""

from __future__ import annotations

import pytest

from masterbus.mastering.models import Job, JobStatus
from masterbus.mastering.selectors import album_job_state

Q, A, M, D, F = (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.MASTERING, JobStatus.DONE,
                 JobStatus.FAILED)  # fmt: skip


@pytest.mark.parametrize(
    ("tracks", "status", "progress"),
    [
        ([(Q, 0.0), (Q, 0.0)], Q, 0.0),
        ([(A, 0.1), (Q, 0.0)], A, 0.05),
        ([(M, 0.5), (Q, 0.0)], M, 0.25),
        ([(D, 1.0), (Q, 0.0)], M, 0.5),  # one finished, one to go: still working
        ([(F, 0.3), (A, 0.2)], M, 0.6),  # a failed track counts as finished
        ([(D, 1.0), (F, 0.4)], F, 1.0),
        ([(D, 1.0), (D, 1.0)], D, 1.0),
        ([], D, 1.0),  # every track's song was deleted
    ],
)
def test_the_album_state_follows_its_tracks(tracks, status, progress):
    jobs = [Job(status=s, progress=p) for s, p in tracks]
    assert album_job_state(jobs) == (status, pytest.approx(progress))
