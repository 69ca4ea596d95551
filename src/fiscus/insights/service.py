"""Use cases of the insights domain."""

from __future__ import annotations
