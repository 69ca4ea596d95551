"""`analyse`: one pass to classify, sums, materiality, checks, ratios, Benford, risk.
Linear in the number of accounts; nothing here touches a database or the network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from fiscus.diagnostics.analysis import risk
from fiscus.diagnostics.analysis.benford import benford_tests
from fiscus.diagnostics.analysis.checks import NAME_TRIGGERS, run_checks
from fiscus.diagnostics.analysis.classify import Classifier, choose_scheme
from fiscus.diagnostics.analysis.columnar import analyse_columns
from fiscus.diagnostics.analysis.keywords import words_of
from fiscus.diagnostics.analysis.materiality import compute
from fiscus.diagnostics.analysis.ratios import ratios_of
from fiscus.diagnostics.analysis.totals import sum_up
from fiscus.diagnostics.analysis.types import (
    AccountResult,
    Analysis,
    ClassificationOverride,
    MaterialityRequest,
)
from fiscus.diagnostics.trial_balance import TrialBalance


def classify_rows(
    tb: TrialBalance, scheme: str, overrides: Mapping[str, ClassificationOverride]
) -> tuple[tuple[AccountResult, ...], frozenset[int]]:
    """The classified accounts, and the positions of those whose name has a word the
    name checks look for (the checks split only those names again)."""
    classifier = Classifier(scheme, overrides)
    classify = classifier.classify
    triggers = NAME_TRIGGERS
    out = []
    named: list[int] = []
    for i, r in enumerate(tb.rows):
        words = words_of(r.name)
        if not triggers.isdisjoint(words):
            named.append(i)
        cls, lead = classify(r, words)
        out.append(
            AccountResult(
                r.line_no,
                r.number,
                r.name,
                r.debit,
                r.credit,
                r.debit - r.credit,
                r.type_hint,
                cls,
                lead,
            )
        )
    return tuple(out), frozenset(named)


def analyse_page(
    tb: TrialBalance,
    *,
    start: int,
    stop: int,
    materiality: MaterialityRequest | None = None,
    overrides: Mapping[str, ClassificationOverride] | None = None,
) -> Analysis:
    """`analyse`, its `accounts` only those in [start, stop) (all else on every
    account); a columnar trial balance takes the columnar engine, which builds no
    other account."""
    if tb.columns is not None:
        return analyse_columns(
            tb, materiality=materiality, overrides=overrides or {}, start=start, stop=stop
        )
    whole = analyse(tb, materiality=materiality, overrides=overrides)
    if (start, stop) == (0, len(whole.accounts)):
        return whole
    return replace(whole, accounts=whole.accounts[start:stop])


def analyse(
    tb: TrialBalance,
    *,
    materiality: MaterialityRequest | None = None,
    overrides: Mapping[str, ClassificationOverride] | None = None,
) -> Analysis:
    scheme = choose_scheme(tb.rows)
    accounts, named = classify_rows(tb, scheme, overrides or {})
    debits, credits = tb.total_debits, tb.total_credits
    totals, figures = sum_up(accounts)
    mat = compute(figures, materiality)
    benford = benford_tests(accounts)
    anomalies = run_checks(accounts, named, totals, mat, debits - credits, benford)
    score = risk.score(anomalies)
    return Analysis(
        balanced=debits == credits,
        total_debits=debits,
        total_credits=credits,
        difference=debits - credits,
        row_count=len(tb.rows),
        accounts=accounts,
        totals=totals,
        anomalies=tuple(anomalies),
        materiality=mat,
        ratios=ratios_of(figures),
        benford=benford,
        risk_score=score,
        risk_tier=risk.tier(score),
        chart_scheme=scheme,
    )
