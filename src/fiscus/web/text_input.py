"""No NUL character in any text a request gives us.

PostgreSQL's text cannot hold U+0000 (the driver refuses to send it), so a name, a memo
or a search with one in it would fail deep inside a unit of work as a 500; SQLite would
store it, and the two databases would disagree. Every request is checked once, before
its route runs: its query parameters, and a JSON or form body. A JSON text can only
write the character as the escape `\\u0000`, so a JSON body without one is not decoded a
second time; a form is parsed once, and Starlette keeps it for the route. The caller
gets the usual 422 naming each field. Multipart bodies (file uploads) are not read here:
their routes read them as streams, and a file's content is checked by its own parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"
MESSAGE = "must not contain the NUL character (U+0000)"
# A JSON escape of U+0000 (not a backslash written as `\\` followed by the text "u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_WITH_BODY = frozenset(("POST", "PUT", "PATCH", "DELETE"))


async def refuse_nul(request: Request) -> None:
    """An app-wide dependency: 422 for a request with U+0000 in a parameter or field."""
    errors = _query_errors(request) if b"%00" in request.scope.get("query_string", b"") else []
    if request.method in _WITH_BODY:
        errors += await _body_errors(request)
    if errors:
        raise RequestValidationError(errors)


def _query_errors(request: Request) -> list[dict[str, Any]]:
    pairs = request.query_params.multi_items()
    return [_error("query", name) for name, value in pairs if NUL in name or NUL in value]


async def _body_errors(request: Request) -> list[dict[str, Any]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        body = await request.body()
        if not _JSON_NUL.search(body):
            return []
        try:
            document = json.loads(body)
        except ValueError:
            return []  # not JSON: the route's own parsing reports it
        return [_error("body", *path) for path in _nul_paths(document, ())]
    if kind == "application/x-www-form-urlencoded":
        form = await request.form()
        return [
            _error("body", name)
            for name, value in form.multi_items()
            if NUL in name or (isinstance(value, str) and NUL in value)
        ]
    return []


def _nul_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where in a decoded JSON document U+0000 is: in a string, or in an object's key."""
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*path, key)
            else:
                yield from _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def _error(*loc: str | int) -> dict[str, Any]:
    shown = tuple(part.replace(NUL, "\\u0000") if isinstance(part, str) else part for part in loc)
    return {"loc": shown, "msg": MESSAGE, "type": "string_nul", "input": None}
