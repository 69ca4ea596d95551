"""Which column is which: the header row, then each column's role with a confidence.

Roles: account number, account name, debit, credit, net balance, Dr/Cr indicator and
account type. A role's confidence combines how well the header names it (an exact
known header 1.0, a header containing a known word 0.8, no header evidence 0) with how
well the column's cells fit it (numeric for amounts, "Dr"/"Cr" tokens for an
indicator, code-like for a number, text for a name). Without header evidence a column
reaches at most 0.45, below the threshold: the caller then asks for a mapping instead
of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fiscus.diagnostics.ingest.amounts import NotAnAmount, parse_amount

ROLES = ("number", "name", "debit", "credit", "net", "indicator", "type")
THRESHOLD = 0.6
HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 200

_EXACT: dict[str, tuple[str, ...]] = {
    "number": (
        "account number",
        "account no",
        "acct no",
        "acc no",
        "account code",
        "code",
        "gl code",
        "gl account",
        "account #",
        "acct #",
        "no",
        "number",
        "nominal code",
        "ledger code",
        "account id",
        "gl",
        "acct",
        "a/c no",
        "ref",
    ),
    "name": (
        "account name",
        "account description",
        "description",
        "account",
        "name",
        "account title",
        "title",
        "ledger name",
        "nominal",
        "particulars",
        "details",
    ),
    "debit": (
        "debit",
        "debits",
        "dr",
        "debit balance",
        "debit amount",
        "debit ($)",
        "dr amount",
        "dr balance",
    ),
    "credit": (
        "credit",
        "credits",
        "cr",
        "credit balance",
        "credit amount",
        "credit ($)",
        "cr amount",
        "cr balance",
    ),
    "net": (
        "balance",
        "net",
        "net balance",
        "closing balance",
        "ending balance",
        "amount",
        "ytd",
        "ytd balance",
        "closing",
        "movement",
        "value",
        "total",
    ),
    "indicator": (
        "dr/cr",
        "d/c",
        "dr / cr",
        "side",
        "drcr",
        "debit/credit",
        "dc",
        "sign",
        "balance type",
        "d/cr",
    ),
    "type": (
        "type",
        "account type",
        "class",
        "account class",
        "category",
        "classification",
        "group",
        "account group",
        "fs line",
        "report type",
    ),
}
_CONTAINS: dict[str, tuple[str, ...]] = {
    "number": ("number", "code", " no", "acct", "#", "account"),
    "name": ("name", "description", "title"),
    "debit": ("debit",),
    "credit": ("credit",),
    "net": ("balance", "closing", "ytd", "amount"),
    "indicator": ("dr/cr", "d/c"),
    "type": ("type", "class", "category"),
}
_INDICATOR_TOKENS = {"d", "c", "dr", "cr", "debit", "credit", "dr.", "cr."}
_CODE = re.compile(r"^[A-Za-z]{0,3}[\d][\d.\-/ ]{0,15}[A-Za-z]?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    column: int
    header: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Detection:
    """The header line (0-based row index, None when the sheet has none), the chosen
    column per role and every role's candidates, best first."""

    header_row: int | None
    headers: list[str]
    chosen: dict[str, Candidate]
    candidates: dict[str, list[Candidate]]


def candidates_payload(detection: Detection, threshold: float) -> dict[str, object]:
    """The mapping-required answer's `candidates`: the header line (1-based), the
    headers and each role's best three candidates."""
    return {
        "header_line": None if detection.header_row is None else detection.header_row + 1,
        "headers": detection.headers,
        "roles": {
            role: [
                {"column": c.column, "header": c.header, "confidence": c.confidence}
                for c in cands[:3]
            ]
            for role, cands in detection.candidates.items()
        },
        "threshold": threshold,
    }


def normalise_header(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower().replace("_", " ")).strip(" :")


def score_header(
    exact: dict[str, tuple[str, ...]], contains: dict[str, tuple[str, ...]], role: str, header: str
) -> float:
    """How well `header` names `role` in a role table: 1.0 for a known header, 0.8 for
    one containing a known word, else 0."""
    text = normalise_header(header)
    if not text:
        return 0.0
    if text in exact[role]:
        return 1.0
    if any(word in text for word in contains[role]):
        return 0.8
    return 0.0


def header_score(role: str, header: str) -> float:
    return score_header(_EXACT, _CONTAINS, role, header)


def best_header_row(
    rows: Sequence[Sequence[str]], names_a_role: Callable[[str], bool]
) -> int | None:
    """The first of the top rows with the most cells naming a role (at least two)."""
    best, best_hits = None, 1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in row if names_a_role(cell))
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def find_header_row(rows: Sequence[Sequence[str]]) -> int | None:
    """The first of the top rows naming at least two roles, the best of them."""
    return best_header_row(rows, lambda cell: any(header_score(r, cell) >= 0.8 for r in ROLES))


def _fits(role: str, cells: list[str]) -> float:
    """The share of the column's non-blank sample cells that fit the role."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        # A credit column can be blank for the first hundreds of lines (assets come
        # first): no evidence against an amount role, none for any other.
        return 0.5 if role in ("debit", "credit") else 0.0
    if role in ("debit", "credit", "net"):
        fit = sum(1 for c in filled if is_amount(c))
    elif role == "indicator":
        fit = sum(1 for c in filled if c.lower() in _INDICATOR_TOKENS)
    elif role == "number":
        fit = sum(1 for c in filled if _CODE.match(c))
    elif role == "name":
        fit = sum(1 for c in filled if not is_amount(c) and len(c) > 2)
    else:
        fit = sum(1 for c in filled if not is_amount(c))
    return fit / len(filled)


def is_amount(cell: str) -> bool:
    try:
        return parse_amount(cell)[0] is not None
    except NotAnAmount:
        return False


def detect(rows: Sequence[Sequence[str]]) -> Detection:
    return detect_roles(
        rows, find_header_row(rows), ROLES, header_score, _fits, width_rows=SAMPLE_ROWS
    )


def detect_roles(
    rows: Sequence[Sequence[str]],
    header_row: int | None,
    roles: Sequence[str],
    header_score: Callable[[str, str], float],
    fits: Callable[[str, list[str]], float],
    *,
    width_rows: int,
) -> Detection:
    """Every role's candidates over a role table: the header's score times
    `0.5 + 0.5 x fit` (at most 0.45 x fit without header evidence), the width taken from
    the first `width_rows` rows and the fit from the `SAMPLE_ROWS` rows under the header."""
    width = max((len(r) for r in rows[:width_rows]), default=0)
    headers = list(rows[header_row]) if header_row is not None else []
    headers += [""] * (width - len(headers))
    start = 0 if header_row is None else header_row + 1
    sample = rows[start : start + SAMPLE_ROWS]
    columns = [[r[i] if i < len(r) else "" for r in sample] for i in range(width)]
    candidates: dict[str, list[Candidate]] = {}
    for role in roles:
        found = []
        for index, header in enumerate(headers):
            fit = fits(role, columns[index])
            named = header_score(role, header)
            confidence = named * (0.5 + 0.5 * fit) if named else 0.45 * fit
            if confidence > 0.1:
                found.append(Candidate(index, header, round(confidence, 3)))
        candidates[role] = sorted(found, key=lambda c: -c.confidence)
    return Detection(header_row, headers, _assign(candidates, roles), candidates)


def _assign(candidates: dict[str, list[Candidate]], roles: Sequence[str]) -> dict[str, Candidate]:
    """Greedy, best confidence first: each column plays one role, each role one column;
    a tie goes to the role listed first in `roles`."""
    order = {role: i for i, role in enumerate(roles)}
    pairs = sorted(
        ((c.confidence, role, c) for role, cs in candidates.items() for c in cs),
        key=lambda p: (-p[0], order[p[1]]),
    )
    chosen: dict[str, Candidate] = {}
    taken: set[int] = set()
    for _, role, candidate in pairs:
        if role not in chosen and candidate.column not in taken:
            chosen[role] = candidate
            taken.add(candidate.column)
    return chosen
