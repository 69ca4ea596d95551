"""How committed jobs reach a runner.

Without a broker, a small thread pool inside the web process runs them (`make run`
needs nothing else). With `FISCUS_REDIS_URL`, they are sent to Celery workers on Redis,
which run the very same `run_job`.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from fiscus.jobs.runner import run_job
from fiscus.worker import tasks_registry


class InProcessDispatcher:
    def __init__(self, factory: sessionmaker[Session], workers: int = 2) -> None:
        tasks_registry.load()
        self.factory = factory
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fiscus-job")

    def __call__(self, tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
        self.pool.submit(run_job, self.factory, tenant_id, job_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)


class CeleryDispatcher:
    def __init__(self, redis_url: str) -> None:
        from fiscus.worker.celery_app import make_celery

        self.app = make_celery(redis_url)

    def __call__(self, tenant_id: uuid.UUID, job_id: uuid.UUID) -> None:
        self.app.send_task("fiscus.run_job", args=[str(tenant_id), str(job_id)])

    def shutdown(self) -> None:
        return None
