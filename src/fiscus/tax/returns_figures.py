"""Walking a return's JSON document: its figures, its leaves, the difference of two.

A figure is a dict with `amount`, `source` and `transaction_ids` (see returns_sections);
paths are dotted, with list indexes as numbers (`income.salary_wages.0.gross`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

FIGURE_KEYS = frozenset({"amount", "source", "transaction_ids"})


def is_figure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == FIGURE_KEYS


def _children(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield (f"{path}.{key}" if path else str(key)), item


def figures(doc: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every figure of the document, with its path."""
    if is_figure(doc):
        yield path, doc
    elif isinstance(doc, dict | list):
        for child_path, child in _children(doc, path):
            yield from figures(child, child_path)


def leaves(doc: Any, path: str = "") -> dict[str, Any]:
    """path -> value of every scalar, a figure counting as its amount."""
    if is_figure(doc):
        return {path: doc["amount"]}
    if isinstance(doc, dict | list):
        out: dict[str, Any] = {}
        for child_path, child in _children(doc, path):
            out.update(leaves(child, child_path))
        return out
    return {path: doc}


def at(doc: Any, path: str) -> Any:
    """The value at `path`, or None when the document has nothing there."""
    value = doc
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def keep_honest_provenance(before: Any, after: Any) -> None:
    """A figure may say `prefill` only while it is the figure prefill put there (same
    amount, same transactions); any other figure becomes a user figure. Edits `after`."""
    for path, figure in figures(after):
        if figure["source"] != "prefill":
            continue
        old = at(before, path)
        if not (
            is_figure(old)
            and old["source"] == "prefill"
            and old["amount"] == figure["amount"]
            and old["transaction_ids"] == figure["transaction_ids"]
        ):
            figure["source"], figure["transaction_ids"] = "user", []


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge, null removes (back to the default),
    anything else (lists included) replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def changes(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """(path, before, after) for every leaf that differs, in document order."""
    old, new = leaves(before), leaves(after)
    paths = list(old) + [p for p in new if p not in old]
    return [(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p)]
