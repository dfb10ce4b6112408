"""The RQ worker class `masterbus worker` runs when tasks go to Redis (scale-out).

Each task runs in the worker process itself, as with the database worker, instead of RQ's
default forked work horse: killing a worker kills its job (the lease and the sweeper then hand
it to another worker), the engine's compiled kernels stay loaded between jobs, and no fork
happens while the periodic-jobs thread may hold a lock. Database connections are checked around
every job, as Django does around every request.
"""

from __future__ import annotations

from django.db import close_old_connections
from rq import Queue
from rq.job import Job
from rq.worker import SimpleWorker


class InProcessWorker(SimpleWorker):
    def execute_job(self, job: Job, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
