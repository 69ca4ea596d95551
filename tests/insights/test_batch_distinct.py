"""The import's categoriser works per distinct decision key (`insights.batch`) and gives
every line exactly what the per-line path (`service.predict`, `auto_category`,
`needed_features`, features per learned line) gives it."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.insights import batch
from fiscus.insights import features as ft
from fiscus.insights.model import ClassStats, Model
from fiscus.insights.models import InsightsSetting
from fiscus.insights.repository import EntryRow
from fiscus.insights.service import Catalogue, auto_category, needed_features, predict

BANK, CARD = uuid.uuid4(), uuid.uuid4()
FOOD, FUEL, PAY, UNCAT_OUT, UNCAT_IN = (uuid.uuid4() for _ in range(5))
CATS = Catalogue(
    names={FOOD: "Food", FUEL: "Fuel", PAY: "Pay", UNCAT_OUT: "U-", UNCAT_IN: "U+"},
    every_group={
        FOOD: "expense:AUD", FUEL: "expense:AUD", PAY: "income:AUD",
        UNCAT_OUT: "expense:AUD", UNCAT_IN: "income:AUD",
    },
    groups={FOOD: "expense:AUD", FUEL: "expense:AUD", PAY: "income:AUD"},
    uncategorised=frozenset({UNCAT_OUT, UNCAT_IN}),
)  # fmt: skip
TEXTS = [
    "EFTPOS WOOLWORTHS {n} SYDNEY AU",
    "Woolworths Metro #{n}",
    "VISA PURCHASE 7-ELEVEN {n} GLEBE",
    "SHELL COLES EXPRESS {n}",
    "SALARY ACME PTY LTD {n}",
    "ΣΟΥΠΕΡ ΜΆΡΚΕΤ {n}",  # a final sigma before a digit
    "straße {n}Σ",
]
digits = st.sampled_from(["1234", "0457", "9", "", "12 34", "٣"])  # an Arabic-Indic digit too
texts = st.builds(lambda t, n: t.format(n=n), st.sampled_from(TEXTS), digits)


@settings(max_examples=500)
@given(st.one_of(st.none(), texts, st.text()), st.one_of(texts, st.text()))
def test_the_digit_key_reads_as_the_same_text(payee: str | None, description: str) -> None:
    assert batch.key_text(batch.digit_key(payee, description)) == ft.text_of(payee, description)


@st.composite
def rows(draw: Any, categories: tuple[uuid.UUID, ...] = (UNCAT_OUT, UNCAT_IN)) -> EntryRow:
    category = draw(st.sampled_from(categories))
    money_in = CATS.every_group[category].startswith("income")
    size = draw(st.sampled_from([200, 999, 1050, 4210, 45_000, 300_000]))
    return EntryRow(
        transaction_id=uuid.uuid4(),
        occurred_on=date(2025, 7, draw(st.integers(1, 31))),
        description=draw(texts),
        payee=draw(st.one_of(st.none(), texts)),
        account_id=draw(st.sampled_from([BANK, CARD])),
        category_id=category,
        amount=size if money_in else -size,
        currency="AUD",
        status=draw(st.sampled_from(["cleared", "cleared", "reconciled"])),
    )


def _stats(examples: list[EntryRow]) -> tuple[dict[uuid.UUID, ClassStats], Counter[Any]]:
    """A stored model learned from `examples`, line by line (as `learning.sync` does)."""
    classes: dict[uuid.UUID, ClassStats] = {}
    counts: Counter[tuple[uuid.UUID, int]] = Counter()
    for row in examples:
        text, meta = ft.features(
            row.payee, row.description, row.amount, row.occurred_on, row.account_id
        )
        stats = classes.get(row.category_id, ClassStats(0, 0))
        classes[row.category_id] = ClassStats(
            stats.examples + 1, stats.feature_total + len(text) + len(meta)
        )
        counts.update((row.category_id, f) for f in (*text, *meta))
    return classes, counts


class _Repo:
    """The part of `InsightsRepository` that `batch._model` reads."""

    def __init__(self, counts: Counter[tuple[uuid.UUID, int]]) -> None:
        self._counts = counts

    def counts_of(self, features: list[int]) -> list[tuple[uuid.UUID, int, int]]:
        wanted = set(features)
        return [(c, f, n) for (c, f), n in self._counts.items() if f in wanted]

    def vocabulary(self) -> int:
        return len({f for _, f in self._counts})


def _known(repo: _Repo, features: set[int]) -> set[int]:
    return {f for _, f in repo._counts if f in features}


def _per_line_model(stored: list[EntryRow], learned: list[EntryRow], todo: list[EntryRow]) -> Model:
    """The model `categorise` reads after learning `learned` (line by line, for real)."""
    classes, counts = _stats([*stored, *learned])
    needed = needed_features(todo)
    return Model(
        classes,
        ((c, f, n) for (c, f), n in counts.items() if f in needed),
        vocabulary=len({f for _, f in counts}),
        groups=CATS.groups,
    )


examples = st.lists(rows((FOOD, FUEL, PAY)), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    examples,
    examples,
    st.lists(rows(), min_size=1, max_size=60),
    st.sampled_from([0.0, 0.3, 0.8, 1.0]),
    st.booleans(),
)
def test_per_distinct_key_the_same_decisions_as_per_line(
    stored: list[EntryRow],
    learned: list[EntryRow],
    todo: list[EntryRow],
    threshold: float,
    auto_apply: bool,
) -> None:
    classes, counts = _stats(stored)
    repo = _Repo(counts)
    original, batch._known = batch._known, _known  # type: ignore[assignment]
    try:
        keyed = batch.Keyed()
        assert keyed.needed(todo) == needed_features(todo)
        model = batch._model(repo, CATS, classes, todo, learned, keyed)  # type: ignore[arg-type]
    finally:
        batch._known = original  # type: ignore[assignment]
    reference = _per_line_model(stored, learned, todo)
    setting = InsightsSetting(auto_apply=auto_apply, auto_threshold=threshold)
    ranked, applied = batch.decide_lines(model, CATS, setting, todo, keyed)
    expected_ranked = {r.transaction_id: predict(reference, CATS, r) for r in todo}
    expected_applied = {
        r.transaction_id: c
        for r in todo
        if (c := auto_category(setting, r, expected_ranked[r.transaction_id])) is not None
    }
    assert ranked == expected_ranked
    assert applied == expected_applied


@given(st.lists(rows(), max_size=30))
def test_line_keys_are_each_rows_digit_and_meta_keys(lines: list[EntryRow]) -> None:
    keys = [(batch.digit_key(r.payee, r.description), batch.meta_key(r)) for r in lines]
    assert batch.line_keys(lines) == keys
