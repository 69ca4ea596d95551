"""Classification of accounts: user override, the file's type column, account-number
ranges and weighted name keywords, combined into category, subtype, lead sheet,
confidence and alternatives (see docs.md "Classification").

Work is per distinct (name, number class, type hint): a large trial balance repeats
those, and the per-account cost is then one dict lookup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from fiscus.diagnostics.analysis.keywords import Rule, best_rule, words_of
from fiscus.diagnostics.analysis.types import (
    Alternative,
    Category,
    Classification,
    ClassificationOverride,
    Source,
)
from fiscus.diagnostics.trial_balance import TBRow

LOW_CONFIDENCE = 0.6
DEBIT_NORMAL = frozenset({"asset", "expense", "unknown"})
DEFAULT_SUBTYPE: dict[str, tuple[str, str]] = {
    "asset": ("current", "D"),
    "liability": ("current", "L"),
    "equity": ("capital", "M"),
    "revenue": ("operating", "N"),
    "expense": ("operating", "O"),
    "unknown": ("unknown", "Z"),
}


@dataclass(frozen=True, slots=True)
class Guess:
    category: Category
    subtype: str
    lead: str
    contra: bool = False


_TYPE_HINTS: dict[str, tuple[frozenset[str], str | None]] = {}


def _hint(names: str, categories: tuple[str, ...], subtype: str | None = None) -> None:
    for name in names.split("|"):
        _TYPE_HINTS[name] = (frozenset(categories), subtype)


_hint("asset|assets|a|bank|current asset|current assets|prepayment|inventory", ("asset",))
_hint("fixed asset|fixed assets|non-current asset|non current asset", ("asset",), "non_current")
_hint("liability|liabilities|l|current liability|current liabilities", ("liability",))
_hint(
    "non-current liability|non current liability|long term liability", ("liability",), "non_current"
)
_hint("equity|capital|owner's equity|owners equity|e|q", ("equity",))
_hint("income|revenue|sales|r|i|in|inc", ("revenue",))
_hint("other income", ("revenue",), "other_income")
_hint("expense|expenses|x|ex|exp", ("expense",))
_hint("overhead|overheads|depreciation", ("expense",), "operating")
_hint("direct costs|cost of sales|cogs|cost of goods sold", ("expense",), "cost_of_sales")
_hint("other expense|other expenses", ("expense",), "operating")
_hint("bs|balance sheet|balance-sheet", ("asset", "liability", "equity"))
_hint("pl|p&l|p/l|profit and loss|profit & loss|income statement", ("revenue", "expense"))


def type_hint_of(text: str | None) -> tuple[frozenset[str], str | None] | None:
    if not text:
        return None
    return _TYPE_HINTS.get(" ".join(text.lower().split()))


_NON_DIGIT = re.compile(r"\D+")


def _digits(number: str | None) -> str:
    return _NON_DIGIT.sub("", number) if number else ""


def leading_digit_guess(number: str | None) -> Guess | None:
    """The common charts (US, MYOB, most AU/UK ledgers): 1 assets, 2 liabilities,
    3 equity, 4 revenue, 5 cost of sales, 6-7 expenses, 8 other income, 9 other
    expenses. MYOB's `1-2xxx`/`2-2xxx` are non-current."""
    digits = _digits(number)
    if not digits or digits[0] == "0":
        return None
    head = digits[0]
    second = number.split("-", 1)[1][:1] if number and "-" in number else ""
    long_term = second not in ("", "1")
    if head == "1":
        return Guess("asset", "non_current" if long_term else "current", "F" if long_term else "D")
    if head == "2":
        return Guess(
            "liability", "non_current" if long_term else "current", "J" if long_term else "H"
        )
    if head == "3":
        return Guess("equity", "capital", "M")
    if head == "4":
        return Guess("revenue", "operating", "N")
    if head == "5":
        return Guess("expense", "cost_of_sales", "O")
    if head in "67":
        return Guess("expense", "operating", "O")
    if head == "8":
        return Guess("revenue", "other_income", "N")
    return Guess("expense", "operating", "O")


def xero_guess(number: str | None) -> Guess | None:
    """Xero's default three-digit chart: 090-199 bank, 200-299 revenue, 300-399
    direct costs, 400-599 expenses, 600-699 current assets, 700-799 fixed assets,
    800-899 current liabilities, 900-949 non-current liabilities, 950-999 equity."""
    digits = _digits(number)
    if len(digits) != 3:
        return None
    n = int(digits)
    table: tuple[tuple[int, Guess], ...] = (
        (90, Guess("unknown", "unknown", "Z")),
        (200, Guess("asset", "current", "A")),
        (300, Guess("revenue", "operating", "N")),
        (400, Guess("expense", "cost_of_sales", "O")),
        (600, Guess("expense", "operating", "O")),
        (700, Guess("asset", "current", "D")),
        (800, Guess("asset", "non_current", "F")),
        (900, Guess("liability", "current", "H")),
        (950, Guess("liability", "non_current", "J")),
        (1000, Guess("equity", "capital", "M")),
    )
    for upper, guess in table:
        if n < upper:
            return None if guess.category == "unknown" else guess
    return None


SCHEMES = {"leading_digit": leading_digit_guess, "xero": xero_guess}


def choose_scheme(rows: Sequence[TBRow]) -> str:
    """The numbering scheme that agrees with the confident name keywords most often
    (the leading-digit scheme on a tie or when there is nothing to compare)."""
    agree = dict.fromkeys(SCHEMES, 0)
    seen = 0
    for row in rows[:5000]:
        if seen >= 2000:
            break
        rule = best_rule(words_of(row.name))
        if rule is None or rule.weight < 0.8 or rule.category == "unknown":
            continue
        seen += 1
        for scheme, guess_of in SCHEMES.items():
            guess = guess_of(row.number)
            if guess is not None and guess.category == rule.category:
                agree[scheme] += 1
    return max(SCHEMES, key=lambda s: (agree[s], s == "leading_digit"))


def _normal(category: str, contra: bool) -> str:
    debit = category in DEBIT_NORMAL
    return "debit" if debit != contra else "credit"


def _make(
    g: Guess, confidence: float, source: Source, alts: list[Guess]
) -> tuple[Classification, str]:
    alternatives: tuple[Alternative, ...] = ()
    if confidence < LOW_CONFIDENCE:
        alternatives = tuple(
            Alternative(a.category, a.subtype, a.lead, round(1 - confidence, 2))
            for a in alts
            if a.category != g.category
        )
    normal: Literal["debit", "credit"] = (
        "debit" if _normal(g.category, g.contra) == "debit" else "credit"
    )
    cls = Classification(
        category=g.category,
        subtype=g.subtype,
        confidence=round(confidence, 2),
        source=source,
        contra=g.contra,
        normal_balance=normal,
        alternatives=alternatives,
    )
    return cls, g.lead


def _from_rule(rule: Rule) -> Guess:
    return Guess(rule.category, rule.subtype, rule.lead, rule.contra)


def _with_file(
    allowed: frozenset[str], sub: str | None, kw: Guess | None, num: Guess | None
) -> tuple[Guess, float] | None:
    for candidate, conf in ((kw, 0.97), (num, 0.9)):
        if candidate is not None and candidate.category in allowed:
            if sub is not None:
                lead = (
                    candidate.lead
                    if candidate.subtype == sub
                    else DEFAULT_SUBTYPE[candidate.category][1]
                )
                candidate = Guess(
                    candidate.category,
                    sub,
                    lead if sub != "non_current" else candidate.lead,
                    candidate.contra,
                )
            return candidate, conf
    if len(allowed) == 1:
        category = cast(Category, next(iter(allowed)))
        subtype, lead = DEFAULT_SUBTYPE[category]
        return Guess(category, sub or subtype, lead), 0.85
    return None


def _heuristic(kw: Rule | None, num: Guess | None) -> tuple[Guess, float, list[Guess]]:
    if kw is not None and num is not None:
        if kw.category == num.category:
            return _from_rule(kw), min(0.98, kw.weight + 0.25), []
        if kw.weight >= 0.7 or kw.category == "unknown":
            return _from_rule(kw), kw.weight - 0.2, [num]
        return num, 0.5, [_from_rule(kw)]
    if kw is not None:
        return _from_rule(kw), kw.weight - 0.1, []
    if num is not None:
        return num, 0.55, []
    return Guess("unknown", "unknown", "Z"), 0.0, []


class Classifier:
    """Classifies the rows of one trial balance; remembers what it decided per key."""

    def __init__(self, scheme: str, overrides: Mapping[str, ClassificationOverride]) -> None:
        self._guess_number = SCHEMES[scheme]
        self._overrides = overrides
        self._memo: dict[tuple[object, ...], tuple[Classification, str]] = {}

    def classify(self, row: TBRow, words: list[str]) -> tuple[Classification, str]:
        """`words` are `words_of(row.name)` (the caller needs them too)."""
        if self._overrides:
            override = self._overrides.get(row.number or "") or self._overrides.get(row.name)
            if override is not None:
                return self._override(override)
        # The decision depends only on the name's best phrase, what the number guesses
        # look at and the type cell: memoised on those, so unique names still share it.
        number = row.number
        digits = _digits(number)
        second = number.split("-", 1)[1][:1] if number and "-" in number else ""
        rule = best_rule(words)
        phrase = None if rule is None else rule.words
        key = (phrase, digits[:3], len(digits), second, row.type_hint)
        found = self._memo.get(key)
        if found is None:
            found = self._decide(rule, number, row.type_hint)
            self._memo[key] = found
        return found

    def _override(self, o: ClassificationOverride) -> tuple[Classification, str]:
        subtype, lead = DEFAULT_SUBTYPE[o.category]
        guess = Guess(o.category, o.subtype or subtype, o.lead_sheet or lead, o.contra)
        return _make(guess, 1.0, "override", [])

    def _decide(
        self, rule: Rule | None, number: str | None, type_hint: str | None
    ) -> tuple[Classification, str]:
        num = self._guess_number(number)
        hint = type_hint_of(type_hint)
        kw = _from_rule(rule) if rule is not None else None
        if hint is not None:
            decided = _with_file(hint[0], hint[1], kw, num)
            if decided is not None:
                alts = [g for g in (kw, num) if g is not None]
                guess = decided[0]
                if kw is not None and kw.category == "unknown":
                    # A suspense account typed "Asset" is still unresolved: lead sheet Z.
                    guess = Guess(guess.category, guess.subtype, "Z", guess.contra)
                return _make(guess, decided[1], "file", alts)
        guess, confidence, alts = _heuristic(rule, num)
        return _make(guess, confidence, "heuristic", alts)
