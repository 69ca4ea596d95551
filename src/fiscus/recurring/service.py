"""Use cases of the recurring domain."""

from __future__ import annotations
