"""Imports every domain's `tasks` module so that their job bodies are registered."""

from __future__ import annotations

import importlib

TASK_MODULES = ("fiscus.audit.tasks",)


def load() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)
