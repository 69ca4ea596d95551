"""Rules on a bank import's lines *before* they are booked.

The import flow used to book every line on Uncategorised, then run `apply_rules` on the
booked entries (reading them back and moving legs, payees and tags with `bulk_edit`).
Now it hands the lines, as the entry rows they are about to become, to `plan_lines`:
payees are cleaned and the enabled rules run in order exactly as `apply_rules` runs
them (`matching.run`, the same compiled rules), so each line is booked once with its
final category, payee and tags. A rule that turns a line into a transfer cannot be
booked by the bulk path (it books income and expense entries): the flow books it on
Uncategorised and `finish` then edits it through the ledger's edit use case, as
`apply_rules` does. `finish` also records the run's one `rule.apply` event (source
`import`), with the counts `apply_rules` would have reported.

A bank file repeats its merchants: once payees are cleaned, most lines differ only in
what no rule reads (the raw description's card and store numbers, the amount, the date,
when no rule has a description, amount or date condition). `plan_lines` therefore runs
the rules once per distinct *decision key* — every field of the row the clean-up and the
tenant's rules can read — and gives each line of a key the same plan (states shared,
read-only). The plans are exactly those of `matching.run` on every line (property-tested:
`tests/rules/test_plan_lines_distinct.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger.entry_rows import EntryRow
from fiscus.ledger.transactions_edit import update_transaction
from fiscus.rules.matching import AccountInfo, CompiledRule, Plan, is_raw_payee, run
from fiscus.rules.payees import clean_payee
from fiscus.rules.repository import RuleRepository
from fiscus.rules.schemas import Conditions
from fiscus.rules.service_run import (
    RulesOutcome,
    _compiled,
    _report,
    _transfer_edit,
    accounts_of,
    conditions_of,
)


@dataclass(frozen=True, slots=True)
class LinePlans:
    """The plan of every line (in the order given) and the rules that ran."""

    plans: list[Plan]
    rules: list[uuid.UUID | None]

    def transfers(self) -> list[Plan]:
        return [p for p in self.plans if p.after.kind == "transfer" != p.before.kind]


def plan_lines(session: Session, ctx: TenantContext, rows: Sequence[EntryRow]) -> LinePlans:
    """What payee clean-up and the enabled rules make of these not yet booked entries."""
    rules = RuleRepository(session, ctx.tenant_id).ordered(enabled_only=True)
    compiled = _compiled(session, ctx, rules)
    reads = reads_of([conditions_of(r) for r in rules])
    plans = run_distinct(rows, compiled, reads, accounts_of(session, ctx))
    return LinePlans(plans, [r.id for r in compiled])


@dataclass(frozen=True, slots=True)
class Reads:
    """Which fields of a row beyond its states the rules' conditions read."""

    description: bool = True
    amount: bool = True
    date: bool = True


def reads_of(conditions: Sequence[Conditions]) -> Reads:
    """What the rules of these conditions read of a row beyond its states."""
    return Reads(
        description=any(c.description is not None for c in conditions),
        amount=any(c.amount_min is not None or c.amount_max is not None for c in conditions),
        date=any(c.date_from is not None or c.date_to is not None for c in conditions),
    )


def cleaned_payee(row: EntryRow) -> str | None:
    """The payee `matching.run(..., clean_payees=True)` starts the rules with."""
    if not is_raw_payee(row.payee):
        return row.payee
    raw = row.payee if row.payee and row.payee.strip() else row.description
    return clean_payee(raw) if raw.strip() else row.payee


def run_distinct(
    rows: Sequence[EntryRow],
    rules: Sequence[CompiledRule],
    reads: Reads,
    accounts: Mapping[uuid.UUID, AccountInfo],
) -> list[Plan]:
    """`matching.run(rows, rules, accounts, clean_payees=True)`, the rules run once per
    distinct decision key: the line's cleaned payee and every field `run` reads (the
    description, amount and date only when a condition reads them; the sign always).
    Lines of one key share their plan's states and lists: read them, never change them."""
    keyed: list[tuple[EntryRow, tuple[object, ...]]] = []
    first: dict[tuple[object, ...], EntryRow] = {}
    for row in rows:
        if row.account_id is None:
            continue  # `run` leaves journal entries out
        key: tuple[object, ...] = (
            row.payee,
            cleaned_payee(row),
            row.description if reads.description else None,
            (row.signed, row.amount) if reads.amount else row.signed > 0,
            row.signed < 0,
            row.occurred_on if reads.date else None,
            row.kind,
            row.status,
            row.currency,
            row.account_id,
            row.category_id,
            row.counter_id,
            row.tags,
        )
        keyed.append((row, key))
        first.setdefault(key, row)
    # One run over the first line of each key (the rules compiled for it once).
    ran = dict(
        zip(first, run(list(first.values()), rules, accounts, clean_payees=True), strict=True)
    )
    plans: list[Plan] = []
    for row, key in keyed:
        shared = ran[key]
        if shared.row is row:
            plans.append(shared)
        else:
            plans.append(Plan(row, shared.before, shared.after, shared.rules, shared.skipped))
    return plans


def finish(session: Session, ctx: TenantContext, planned: LinePlans) -> RulesOutcome:
    """Once booked: the transfers made by rules, and the run's audit event."""
    transfers = planned.transfers()
    for plan in transfers:
        update_transaction(session, ctx, plan.row.id, _transfer_edit(plan))
    return _report(session, ctx, planned.plans, transfers, source="import", rules=planned.rules)
