"""Putting jobs in the task queue, and the sweeper that queues lost or orphaned jobs again.

A worker that dies leaves an expiring lease, and ``job_sweep`` queues the job again: no job is
lost and no job gets two sets of deliveries (see ``masterbus.mastering.runner``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from masterbus.mastering.models import ACTIVE_STATUSES, Job, JobStatus
from masterbus.mastering.tasks import master_job

logger = logging.getLogger(__name__)

# How long a job may sit queued without a task in the queue before the sweeper re-queues it.
ENQUEUE_GRACE = timedelta(minutes=1)


def job_enqueue(*, job_id) -> None:
    """Put the job's task in the queue (after commit) and record that it is there.

    If the queue cannot be reached the job stays without ``enqueued_at`` and the sweeper queues
    it later: the request that created it still succeeds.
    """
    try:
        master_job.enqueue(str(job_id))
    except Exception:
        logger.exception("could not queue job %s; the sweeper will", job_id)
        return
    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def job_sweep() -> int:
    """Queue again the jobs whose worker died (lease expired) or that never reached the queue."""
    now = timezone.now()
    stale = Job.objects.filter(status__in=ACTIVE_STATUSES).filter(
        Q(lease_expires_at__lt=now)
        | Q(status=JobStatus.QUEUED, enqueued_at=None, created_at__lt=now - ENQUEUE_GRACE)
    )
    count = 0
    for job_id in list(stale.values_list("pk", flat=True)):
        # Conditional: a worker that renewed its lease meanwhile keeps the job.
        released = (
            Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES)
            .filter(Q(lease_expires_at__lt=now) | Q(enqueued_at=None))
            .update(
                status=JobStatus.QUEUED,
                stage="waiting for a worker",
                lease_token="",
                lease_expires_at=None,
                enqueued_at=None,
            )
        )
        if released:
            job_enqueue(job_id=job_id)
            count += 1
    if count:
        logger.info("sweeper queued %d job(s) again", count)
    return count
