"""Use cases of the rules domain."""

from __future__ import annotations
