"""The Celery application: one task, `fiscus.run_job`, that runs a job by id."""

from __future__ import annotations

import uuid
from functools import lru_cache

from celery import Celery
from sqlalchemy.orm import Session, sessionmaker

from fiscus.config import get_settings
from fiscus.db.session import make_engine, make_session_factory
from fiscus.jobs.runner import run_job
from fiscus.worker import tasks_registry


@lru_cache(maxsize=1)
def _factory() -> sessionmaker[Session]:
    return make_session_factory(make_engine(get_settings().database_url))


def make_celery(redis_url: str) -> Celery:
    app = Celery("fiscus", broker=redis_url)
    app.conf.update(
        task_acks_late=True,  # a job whose worker dies is redelivered; run_job is idempotent
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )

    @app.task(name="fiscus.run_job")
    def run(tenant_id: str, job_id: str) -> None:
        run_job(_factory(), uuid.UUID(tenant_id), uuid.UUID(job_id))

    tasks_registry.load()
    return app
