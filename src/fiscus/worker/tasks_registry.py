"""Imports every domain's `tasks` module so that their job bodies are registered."""

from __future__ import annotations

import importlib

TASK_MODULES = (
    "fiscus.audit.tasks",
    "fiscus.imports.tasks",
    "fiscus.insights.tasks",
)


def load() -> None:
    # Every table must be mapped before a job touches the ORM: a worker process imports no
    # router, and without `fiscus.schema` the `job -> tenant` foreign key cannot resolve.
    importlib.import_module("fiscus.schema")
    for module in TASK_MODULES:
        importlib.import_module(module)
