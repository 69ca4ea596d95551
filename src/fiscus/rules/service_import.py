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
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger.entry_rows import EntryRow
from fiscus.ledger.transactions_edit import update_transaction
from fiscus.rules.matching import Plan, run
from fiscus.rules.repository import RuleRepository
from fiscus.rules.service_run import (
    RulesOutcome,
    _compiled,
    _report,
    _transfer_edit,
    accounts_of,
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
    compiled = _compiled(
        session, ctx, RuleRepository(session, ctx.tenant_id).ordered(enabled_only=True)
    )
    plans = run(rows, compiled, accounts_of(session, ctx), clean_payees=True)
    return LinePlans(plans, [r.id for r in compiled])


def finish(session: Session, ctx: TenantContext, planned: LinePlans) -> RulesOutcome:
    """Once booked: the transfers made by rules, and the run's audit event."""
    transfers = planned.transfers()
    for plan in transfers:
        update_transaction(session, ctx, plan.row.id, _transfer_edit(plan))
    return _report(session, ctx, planned.plans, transfers, source="import", rules=planned.rules)
