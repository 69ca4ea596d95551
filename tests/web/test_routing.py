"""Every API route is reached by its own paths: no route registered earlier shadows it.

`create_app` orders the routers by how often they are hit (the router tries them in
order, and matching a path costs a few microseconds per route it tries), so this pins
that the order is only a speed matter: each operation of the OpenAPI document, its path
parameters filled with values of their type, resolves to the route that declared it.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match

from fiscus.main import create_app
from tests.web.helpers import web_settings

SAMPLE_ID = str(uuid.UUID(int=0x5E6B1C1E1D1E4B8E9A574F3F6F8D9E01))


def _sample(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if schema.get("format") == "uuid":
        return SAMPLE_ID
    if schema.get("type") == "integer":
        return "2025"
    return "sample-value"


def _filled(template: str, parameters: list[dict[str, Any]]) -> str:
    values = {p["name"]: _sample(p) for p in parameters}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m[1], SAMPLE_ID), template)


def _resolved(app: FastAPI, method: str, path: str) -> str | None:
    """The path template of the route the app's router picks for this request. Uses
    FastAPI's `_match` (pinned by uv.lock): the public `matches` does not say which route."""
    scope: dict[str, Any] = {"type": "http", "path": path, "method": method, "root_path": ""}
    for route in app.router.routes:
        matcher = getattr(route, "_match", None)
        if matcher is not None:
            match, child, _route, _context = matcher(scope)
        else:
            match, child = route.matches(scope)
        if match == Match.FULL:
            found = child.get("route") or route
            return str(getattr(found, "path", ""))
    return None


def test_each_operation_resolves_to_its_own_route(tmp_path: Path) -> None:
    app = create_app(web_settings(tmp_path))
    operations = 0
    wrong = []
    for template, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            path = _filled(template, operation.get("parameters", []))
            resolved = _resolved(app, method.upper(), path)
            operations += 1
            if resolved != template:
                wrong.append(f"{method.upper()} {path}: {resolved} instead of {template}")
    assert operations > 100  # the whole API was walked, not an empty document
    assert wrong == []
