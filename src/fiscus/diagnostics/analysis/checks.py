"""The checks on one trial balance (codes, thresholds and procedures in docs.md).
Each is one pass over the accounts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from fiscus.diagnostics.analysis import hygiene
from fiscus.diagnostics.analysis.findings import Findings
from fiscus.diagnostics.analysis.keywords import words_of
from fiscus.diagnostics.analysis.types import (
    AccountResult,
    Anomaly,
    BenfordTest,
    Materiality,
    Severity,
    Totals,
)

ZERO = Decimal(0)
SUSPENSE_WORDS = frozenset(
    {
        "suspense",
        "clearing",
        "unallocated",
        "unreconciled",
        "uncategorised",
        "uncategorized",
        "unidentified",
    }
)
RELATED_PHRASES = (
    ("related", "party"),
    ("director",),
    ("directors",),
    ("shareholder",),
    ("shareholders",),
    ("associated",),
    ("associate",),
    ("div", "7a"),
    ("division", "7a"),
    ("officer",),
    ("beneficiary",),
    ("trustee",),
    ("family",),
)
INTERCOMPANY_PHRASES = (
    ("intercompany",),
    ("inter", "company"),
    ("inter", "co"),
    ("interco",),
    ("ic",),
    ("due", "from"),
    ("due", "to"),
    ("related", "entity"),
    ("subsidiary",),
    ("parent", "entity"),
)
# Round amounts: a balance of at least 1,000 that is a whole multiple of 1,000. Where
# round figures are normal (capital, loans, leases, rent, dividends) they are not
# flagged; in estimates (accruals, provisions, allowances) they suggest a figure not
# calculated (medium); elsewhere low.
ROUND_UNIT = Decimal(1000)
REPEATED_ROUND_MIN = 3
ROUND_EXPECTED = frozenset(
    {
        "capital",
        "loan",
        "loans",
        "lease",
        "rent",
        "dividend",
        "dividends",
        "drawings",
        "mortgage",
        "borrowings",
        "deposit",
        "shares",
        "funds",
    }
)
ROUND_ESTIMATE = frozenset(
    {
        "accrual",
        "accruals",
        "accrued",
        "provision",
        "allowance",
        "impairment",
        "bonus",
        "estimate",
        "doubtful",
    }
)

# Any word a name check looks for: an account whose name has none skips those checks.
NAME_TRIGGERS = (
    SUSPENSE_WORDS
    | {"ask", "to"}
    | {p[0] for p in RELATED_PHRASES + INTERCOMPANY_PHRASES}
    | ROUND_EXPECTED
    | ROUND_ESTIMATE
)


def _has_phrase(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    for phrase in phrases:
        if phrase[0] not in words:
            continue
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase:
                return True
    return False


def out_of_balance(f: Findings, difference: Decimal) -> None:
    if difference:
        side = "debits exceed credits" if difference > 0 else "credits exceed debits"
        f.add(
            "tb_out_of_balance",
            "critical",
            f"The trial balance does not balance: {side} by {abs(difference)}.",
            (
                "Obtain a balanced trial balance from the client; trace the difference to the "
                "general ledger (a one-sided or partly-posted journal, a deleted account, a failed "
                "export)."
            ),
            amount=difference,
        )


def wrong_side(f: Findings, a: AccountResult) -> None:
    c = a.classification
    if c.category == "unknown" or not a.net:
        return
    debit = a.net > 0
    if debit == (c.normal_balance == "debit"):
        return
    side = "debit" if debit else "credit"
    kind = f"contra {c.category}" if c.contra else c.category
    severity: Severity = "medium" if c.confidence >= 0.6 else "low"
    f.add(
        "wrong_side_balance",
        severity,
        (
            f"A {side} balance in a {kind} account, which normally carries a {c.normal_balance} "
            "balance."
        ),
        (
            "Confirm the classification; inspect the postings that moved the balance across zero "
            "(misposting, overpayment, overdraft to reclassify)."
        ),
        account=a,
        amount=a.net,
    )


def suspense(f: Findings, a: AccountResult, words: list[str]) -> None:
    if a.net and (
        SUSPENSE_WORDS.intersection(words)
        or _has_phrase(words, (("ask", "my", "accountant"), ("to", "be", "allocated")))
    ):
        f.add(
            "suspense_balance",
            "high",
            "A suspense, clearing or unallocated account carries a balance at period end.",
            (
                "Obtain the account's analysis; clear each item to its proper account before "
                "sign-off; investigate any item that cannot be identified."
            ),
            account=a,
            amount=a.net,
        )


def round_tier(words: list[str]) -> Severity | None:
    """None when round figures are normal for the account, else the severity."""
    ws = set(words)
    if ws & ROUND_ESTIMATE:
        return "medium"
    if ws & ROUND_EXPECTED:
        return None
    return "low"


def is_round(amount: Decimal) -> bool:
    value = abs(amount)
    return value >= ROUND_UNIT and value % ROUND_UNIT == 0


def related(
    f: Findings, a: AccountResult, words: list[str], intercompany: list[AccountResult]
) -> None:
    if _has_phrase(words, INTERCOMPANY_PHRASES):
        intercompany.append(a)
        if a.net:
            f.add(
                "intercompany_account",
                "low",
                (
                    "An intercompany account: balances between group entities must agree with the "
                    "counterparty's records."
                ),
                (
                    "Obtain the counterparty's confirmation of the balance; agree it to its "
                    "ledger; check eliminations on consolidation."
                ),
                account=a,
                amount=a.net,
            )
    elif a.net and _has_phrase(words, RELATED_PHRASES):
        f.add(
            "related_party_account",
            "medium",
            (
                "A related-party balance (director, shareholder, associated entity): disclosure "
                "required and terms to be checked (in Australia, Division 7A for private company "
                "loans to shareholders)."
            ),
            (
                "Identify the related party; obtain the loan agreement and confirmation; review "
                "terms, repayments and disclosure."
            ),
            account=a,
            amount=a.net,
        )


def intercompany_nets(f: Findings, accounts: list[AccountResult]) -> None:
    total = sum((a.net for a in accounts), ZERO)
    if len(accounts) >= 2 and total:
        f.add(
            "intercompany_not_netting",
            "high" if f.is_material(total) else "medium",
            f"The {len(accounts)} intercompany accounts do not net to zero (net {total}).",
            (
                "Reconcile the intercompany accounts pair by pair; identify items in transit, "
                "cut-off differences and mispostings."
            ),
            amount=total,
            label="intercompany accounts",
        )


def repeated_round(f: Findings, counts: dict[Decimal, int]) -> None:
    for amount, n in sorted(counts.items()):
        if n >= REPEATED_ROUND_MIN:
            f.add(
                "repeated_round_amount",
                "medium",
                f"The round amount {amount} is the balance of {n} accounts.",
                "Vouch the balances to support; repeated round figures suggest estimates or plugs.",
                amount=amount,
                label=f"{n} accounts",
            )


def equation(f: Findings, totals: Totals, difference: Decimal) -> None:
    cat = totals.by_category.get
    assets = cat("asset", ZERO)
    liabilities, equity = -cat("liability", ZERO), -cat("equity", ZERO)
    gap = assets - (liabilities + equity + totals.current_year_result)
    if gap:
        unknown = cat("unknown", ZERO)
        why = f" Unclassified accounts hold a net {unknown}." if unknown else ""
        why += " The trial balance itself is out of balance." if difference else ""
        f.add(
            "accounting_equation",
            "high",
            (
                f"Assets ({assets}) do not equal liabilities ({liabilities}) plus equity "
                f"({equity}) plus the current-year result ({totals.current_year_result}): "
                f"difference {gap}.{why}"
            ),
            "Classify the remaining accounts; resolve any trial-balance difference; re-run.",
            amount=gap,
            label=None,
        )


def deficit_with_dividends(f: Findings, accounts: Sequence[AccountResult], totals: Totals) -> None:
    retained = sum(
        (a.net for a in accounts if a.classification.subtype == "retained_earnings"), ZERO
    )
    dividends = sum(
        (
            a.net
            for a in accounts
            if a.classification.category == "equity"
            and {"dividend", "dividends"} & set(words_of(a.name))
        ),
        ZERO,
    )
    deficit_finding(f, retained, dividends, totals)


def deficit_finding(f: Findings, retained: Decimal, dividends: Decimal, totals: Totals) -> None:
    """`retained`: the retained-earnings accounts' net; `dividends`: the equity accounts'
    with a dividend word."""
    accumulated = -retained + totals.current_year_result
    if accumulated < 0 and dividends > 0:
        f.add(
            "deficit_with_dividends",
            "high",
            (
                f"Dividends of {dividends} were paid while retained earnings including this year's "
                f"result are a deficit of {-accumulated}."
            ),
            (
                "Review the dividend's legality (in Australia, Corporations Act s254T: net assets "
                "and solvency test); obtain directors' minutes; consider disclosure."
            ),
            amount=dividends,
            label="dividends",
        )


def run_checks(
    accounts: Sequence[AccountResult],
    named: frozenset[int],
    totals: Totals,
    materiality: Materiality,
    difference: Decimal,
    benford: Sequence[BenfordTest],
) -> list[Anomaly]:
    """`named`: positions of the accounts whose names have a word in NAME_TRIGGERS."""
    f = Findings(materiality)
    out_of_balance(f, difference)
    intercompany: list[AccountResult] = []
    round_counts: dict[Decimal, int] = defaultdict(int)
    for i, a in enumerate(accounts):
        per_account(f, a, i in named, intercompany, round_counts)
    intercompany_nets(f, intercompany)
    repeated_round(f, round_counts)
    equation(f, totals, difference)
    deficit_with_dividends(f, accounts, totals)
    hygiene.run(f, accounts, totals, materiality, benford)
    return f.items


def per_account(
    f: Findings,
    a: AccountResult,
    has_trigger: bool,
    intercompany: list[AccountResult],
    round_counts: dict[Decimal, int],
) -> None:
    """The checks of one account, in their order. Only an account on the wrong side,
    with a trigger word in its name or a round balance can have a finding here."""
    wrong_side(f, a)
    words: list[str] = []
    if has_trigger:
        words = words_of(a.name)
        suspense(f, a, words)
        related(f, a, words, intercompany)
    if a.net and is_round(a.net):
        tier: Severity | None = round_tier(words) if has_trigger else "low"
        round_counts[abs(a.net)] += 1
        if tier is not None:
            f.add(
                "round_balance",
                tier,
                (f"A round balance ({a.net}) in an account whose balance is normally calculated."),
                (
                    "Vouch the balance to its calculation or supporting documents; a round "
                    "figure often is an estimate or plug."
                ),
                account=a,
                amount=a.net,
            )
