"""Use cases of the diagnostics domain."""

from __future__ import annotations
