"""Use cases of the imports domain."""

from __future__ import annotations
