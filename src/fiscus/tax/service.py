"""Use cases of the tax domain."""

from __future__ import annotations
