"""`analyse` over a columnar trial balance (`TrialBalance.columns`): the same result,
with Python work only where a decision or a finding is made.

- Classification is decided once per distinct (name's phrase words, number shape, type
  cell) — the key `Classifier` memoises on — and mapped back to the rows by polars.
  A name's words are found by polars for ASCII names (the same words `words_of`
  finds), by `words_of` itself for the others; words no phrase or check uses are
  blanked, adjacency kept, as `best_rule` does.
- Sums by category, lead sheet and subtype, the round, sign, zero and Benford digit
  tests run on the amounts as exact integers of 10**-scale (never floats).
- Each per-account check runs, through `checks.per_account` itself, on the accounts
  that can have a finding (wrong side, a trigger word, a round balance), in file
  order; hygiene checks get the few accounts they report on. So the findings, their
  order and their wording are those of the row path (tests compare both).
- Only the accounts of the requested page become `AccountResult`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import polars as pl

from fiscus.diagnostics.analysis import checks, risk
from fiscus.diagnostics.analysis.benford import benford_of_counts
from fiscus.diagnostics.analysis.classify import Classifier, _digits, choose_scheme
from fiscus.diagnostics.analysis.columnar_checks import run_checks
from fiscus.diagnostics.analysis.keywords import PHRASE_WORDS, best_rule, words_of
from fiscus.diagnostics.analysis.materiality import compute
from fiscus.diagnostics.analysis.ratios import ratios_of
from fiscus.diagnostics.analysis.totals import from_sums
from fiscus.diagnostics.analysis.types import (
    AccountResult,
    Analysis,
    BenfordTest,
    Classification,
    ClassificationOverride,
    MaterialityRequest,
)
from fiscus.diagnostics.trial_balance import TBColumns, TrialBalance, decimal_of

KEEP = sorted(
    PHRASE_WORDS
    | checks.NAME_TRIGGERS
    | {w for p in checks.RELATED_PHRASES + checks.INTERCOMPANY_PHRASES for w in p}
    | {"ask", "my", "accountant", "to", "be", "allocated", "dividend", "dividends"}
)
_KEEP = frozenset(KEEP)
# A word with digits that a phrase or check uses: names holding one take the Python path,
# since the polars key writes digit runs as "0".
_DIGIT_WORDS = (
    "(^|[^a-z0-9])(" + "|".join(w for w in KEEP if any(ch.isdigit() for ch in w)) + ")($|[^a-z0-9])"
)
Decided = tuple[Classification, str]


def _name_finding(words: list[str]) -> bool:
    """Whether the name alone can give the account a finding (or put it among the
    intercompany accounts): a suspense word or phrase, an intercompany or related-party
    phrase. A trigger word of the round check alone cannot."""
    return bool(
        checks.SUSPENSE_WORDS.intersection(words)
        or checks._has_phrase(words, (("ask", "my", "accountant"), ("to", "be", "allocated")))
        or checks._has_phrase(words, checks.INTERCOMPANY_PHRASES)
        or checks._has_phrase(words, checks.RELATED_PHRASES)
    )


def _key_of_words(words: list[str]) -> str:
    return " ".join(w if w in _KEEP else "" for w in words)


class Engine:
    def __init__(
        self,
        tb: TrialBalance,
        columns: TBColumns,
        overrides: Mapping[str, ClassificationOverride],
    ) -> None:
        self.tb, self.columns, self.scale = tb, columns, columns.scale
        self.scheme = choose_scheme(tuple(tb.rows[:5000]))
        self.classifier = Classifier(self.scheme, overrides)
        self.overrides = overrides
        self.decided: list[Decided] = []
        self.triggers: list[bool] = []
        self.findings: list[bool] = []
        self.dividends: list[bool] = []
        self.frame = self._classified()
        self.cls_of: list[int] = self.frame["cls"].to_list()

    # Classification ---------------------------------------------------------------

    def _keys(self) -> pl.DataFrame:
        """Per row: `key`, what decides its name's part ("s:" + the lower-case name with
        digit runs as "0" -- few distinct even where names are unique -- or "w:" + the
        blanked words when Python found them), and the number's shape."""
        frame = self.columns.frame
        name, number = pl.col("name"), pl.col("number").fill_null("")
        lower = name.str.to_lowercase()
        python = (
            name.str.contains(r"[^\x00-\x7f]")
            | number.str.contains(r"[^\x00-\x7f]")
            | lower.str.contains(_DIGIT_WORDS)
        )
        digits = number.str.replace_all(r"[^0-9]", "")
        keyed = frame.with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            (pl.col("debit") - pl.col("credit")).alias("net"),
            pl.max_horizontal("debit_dp", "credit_dp").alias("net_dp"),
            ("s:" + lower.str.replace_all(r"[0-9]+", "0")).alias("key"),
            digits.str.slice(0, 3).alias("d3"),
            digits.str.len_chars().alias("dlen"),
            number.str.split_exact("-", 1)
            .struct.field("field_1")
            .str.slice(0, 1)
            .fill_null("")
            .alias("second"),
            python.alias("python"),
        )
        odd = keyed.filter(pl.col("python")).select("row", "name", "number")
        if odd.height:  # non-ASCII, or a digit word a check looks for ("Div 7A")
            fixed = pl.DataFrame(
                {
                    "row": odd["row"],
                    "w": ["w:" + _key_of_words(words_of(n)) for n in odd["name"]],
                    "d": [_digits(x) for x in odd["number"]],
                },
                schema={"row": pl.Int64, "w": pl.String, "d": pl.String},
            )
            keyed = (
                keyed.join(fixed, on="row", how="left", maintain_order="left")
                .with_columns(
                    pl.coalesce("w", "key").alias("key"),
                    pl.coalesce(pl.col("d").str.slice(0, 3), "d3").alias("d3"),
                    pl.coalesce(pl.col("d").str.len_chars(), "dlen").alias("dlen"),
                )
                .drop("w", "d")
            )
        return keyed

    def _decide(self, key: str, sample: str | None, hint: str | None) -> int:
        if key.startswith("s:"):
            split = [w if w in _KEEP else "" for w in words_of(key[2:])]
        else:
            split = key[2:].split(" ") if len(key) > 2 else []
        return self._add(self.classifier._decide(best_rule(split), sample, hint), split)

    def _add(self, decided: Decided, split: list[str]) -> int:
        self.decided.append(decided)
        self.triggers.append(not checks.NAME_TRIGGERS.isdisjoint(split))
        self.findings.append(_name_finding(split))
        self.dividends.append(bool({"dividend", "dividends"}.intersection(split)))
        return len(self.decided) - 1

    def _classified(self) -> pl.DataFrame:
        keyed = self._keys()
        overridden = pl.lit(False)
        if self.overrides:
            names = list(self.overrides)
            overridden = pl.col("number").fill_null("").is_in(names) | pl.col("name").is_in(names)
        keyed = keyed.with_columns(overridden.alias("overridden"))
        keys = ["key", "d3", "dlen", "second", "type_hint"]
        groups = (
            keyed.filter(~pl.col("overridden"))
            .group_by(keys, maintain_order=True)
            .agg(pl.col("number").first().alias("sample"))
        )
        ids = [self._decide(k, sample, hint) for k, _, _, _, hint, sample in groups.iter_rows()]
        groups = groups.with_columns(pl.Series("cls", ids, dtype=pl.Int64)).drop("sample")
        keyed = keyed.join(groups, on=keys, how="left", nulls_equal=True, maintain_order="left")
        if self.overrides:
            chosen = [
                (
                    row,
                    self._add(
                        self.classifier._override(
                            self.overrides.get(number or "") or self.overrides[name]
                        ),
                        words_of(name),
                    ),
                )
                for row, number, name in keyed.filter(pl.col("overridden"))
                .select("row", "number", "name")
                .iter_rows()
            ]
            by_row = pl.DataFrame(chosen, schema={"row": pl.Int64, "o": pl.Int64}, orient="row")
            keyed = (
                keyed.join(by_row, on="row", how="left", maintain_order="left")
                .with_columns(pl.coalesce("o", "cls").alias("cls"))
                .drop("o")
            )
        info = pl.DataFrame(
            {
                "cls": range(len(self.decided)),
                "category": [c.category for c, _ in self.decided],
                "subtype": [c.subtype for c, _ in self.decided],
                "lead": [lead for _, lead in self.decided],
                "debit_normal": [c.normal_balance == "debit" for c, _ in self.decided],
                "trigger": self.triggers,
                "name_finding": self.findings,
                "dividend_word": self.dividends,
            },
            schema={
                "cls": pl.Int64,
                "category": pl.String,
                "subtype": pl.String,
                "lead": pl.String,
                "debit_normal": pl.Boolean,
                "trigger": pl.Boolean,
                "name_finding": pl.Boolean,
                "dividend_word": pl.Boolean,
            },
        )
        return keyed.join(info, on="cls", how="left", maintain_order="left")

    # Accounts -------------------------------------------------------------------

    def accounts_at(self, rows: list[int]) -> list[AccountResult]:
        out = []
        tb_rows = self.columns.rows_of(rows)
        cls_of = self.cls_of
        for row, r in zip(rows, tb_rows, strict=True):
            cls, lead = self.decided[cls_of[row]]
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
        return out

    def rows_where(self, condition: pl.Expr) -> list[int]:
        return self.frame.select(pl.col("row").filter(condition)).to_series().to_list()

    # Sums -----------------------------------------------------------------------

    def sums(self, *by: str) -> dict[object, Decimal]:
        grouped = self.frame.group_by(*by, maintain_order=True).agg(
            pl.col("net").sum(), pl.col("net_dp").max()
        )
        out: dict[object, Decimal] = {}
        for values in grouped.iter_rows():
            *key, units, places = values
            out[key[0] if len(key) == 1 else tuple(key)] = decimal_of(
                int(units), self.scale, max(int(places), 0)
            )
        return out

    def benford(self) -> tuple[BenfordTest, ...]:
        unit = 10**self.scale
        magnitude = self.frame.filter(pl.col("net") != 0).select(pl.col("net").abs().alias("a"))
        digits = magnitude.select(
            pl.col("a").cast(pl.String).str.slice(0, 1).cast(pl.Int64).alias("first"),
            pl.when(pl.col("a") >= 10 * unit)
            .then(pl.col("a").cast(pl.String).str.slice(0, 2).cast(pl.Int64))
            .otherwise(None)
            .alias("two"),
        )
        first = dict(digits["first"].value_counts().iter_rows())
        two = dict(digits["two"].drop_nulls().value_counts().iter_rows())
        return benford_of_counts(first, two)


def analyse_columns(
    tb: TrialBalance,
    *,
    materiality: MaterialityRequest | None,
    overrides: Mapping[str, ClassificationOverride],
    start: int,
    stop: int,
) -> Analysis:
    """The analysis of a columnar `tb`, its `accounts` being those in [start, stop)."""
    columns = tb.columns
    assert columns is not None
    e = Engine(tb, columns, overrides)
    debits, credits = columns.total("debit"), columns.total("credit")
    by_category = {str(k): v for k, v in e.sums("category").items()}
    by_lead = {str(k): v for k, v in e.sums("lead").items()}
    by_sub = {(str(k[0]), str(k[1])): v for k, v in e.sums("category", "subtype").items()}  # type: ignore[index]
    totals, figures = from_sums(by_category, by_lead, by_sub)
    mat = compute(figures, materiality)
    benford = e.benford()
    anomalies = run_checks(e, totals, mat, debits - credits, benford)
    score = risk.score(anomalies)
    return Analysis(
        balanced=debits == credits,
        total_debits=debits,
        total_credits=credits,
        difference=debits - credits,
        row_count=len(columns),
        accounts=tuple(e.accounts_at(list(range(start, stop)))),
        totals=totals,
        anomalies=tuple(anomalies),
        materiality=mat,
        ratios=ratios_of(figures),
        benford=benford,
        risk_score=score,
        risk_tier=risk.tier(score),
        chart_scheme=e.scheme,
    )
