"""Background job bodies of the imports domain."""

from __future__ import annotations
