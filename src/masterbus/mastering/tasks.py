"""Background tasks: thin, idempotent, ids only. The Job row holds the state, not the queue."""

from masterbus.core.tasks import task
from masterbus.mastering.runner import job_run


@task()
def master_job(job_id: str) -> None:
    job_run(job_id=job_id)
