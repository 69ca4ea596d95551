"""Running rules: previewing what they would change, applying them on demand, and
`apply_rules` for the import flow.

Rules are compiled once per call (`matching.compile_rule`), entries read as flat rows in
chunks (`ledger.entry_rows`) and run through the rules in memory; the writes then go
through the ledger: an entry that becomes a transfer through its edit use case (its
postings rebuilt, balances and audit following), every other change — category leg,
payee, tags — through the ledger's set-based `bulk_edit` (a few statements per 2,000
entries, one audit event per 500). One `rule.apply` event sums each run up. Nothing is
committed here: the caller's unit of work makes the whole run atomic.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import NotFound
from fiscus.core.money import Money
from fiscus.ledger import service as ledger_service
from fiscus.ledger.bulk_edit import EntryEdit, bulk_edit
from fiscus.ledger.entry_rows import EntryRow, EntryScan, entry_rows, scan_entries
from fiscus.ledger.schemas_transactions import TransactionUpdate
from fiscus.ledger.transactions_edit import update_transaction
from fiscus.rules.matching import AccountInfo, CompiledRule, Plan, State, compile_rule, run
from fiscus.rules.models import Rule
from fiscus.rules.repository import RuleRepository
from fiscus.rules.schemas import (
    Actions,
    ApplyRequest,
    ApplyResult,
    Conditions,
    EntryState,
    Preview,
    PreviewItem,
    RuleBody,
    TextCondition,
)
from fiscus.tenancy import service as tenancy_service


class RuleNotFound(NotFound):
    """The rule does not exist."""

    code = "rule_not_found"


@dataclass(frozen=True, slots=True)
class RulesOutcome:
    """What a run did: entries matched by a rule, entries changed, and of those how many
    got a category, a new payee (a rule's or a cleaned one), tags, or became transfers;
    `skipped` counts actions that could not apply (see `matching`)."""

    matched: int = 0
    changed: int = 0
    categorised: int = 0
    renamed: int = 0
    tagged: int = 0
    transferred: int = 0
    skipped: int = 0


def conditions_of(rule: Rule) -> Conditions:
    def text(op: str | None, value: str | None) -> TextCondition | None:
        return (
            None
            if op is None or value is None
            else TextCondition.model_validate({"op": op, "value": value})
        )

    def amount(minor: int | None) -> str | None:
        currency = rule.amount_currency or "XXX"
        return None if minor is None else Money.from_minor(minor, currency).to_json()

    category: Any = "uncategorised" if rule.category_match == "uncategorised" else rule.category_id
    return Conditions(
        payee=text(rule.payee_op, rule.payee_value),
        description=text(rule.description_op, rule.description_value),
        amount_min=amount(rule.amount_min),
        amount_max=amount(rule.amount_max),
        sign=rule.sign,
        account_id=rule.account_id,
        date_from=rule.date_from,
        date_to=rule.date_to,
        category=category,
    )


def actions_of(rule: Rule) -> Actions:
    return Actions(
        set_category_id=rule.set_category_id,
        rename_payee=rule.rename_payee,
        add_tags=[t for t in rule.add_tags.split(",") if t],
        transfer_account_id=rule.transfer_account_id,
    )


def accounts_of(session: Session, ctx: TenantContext) -> dict[uuid.UUID, AccountInfo]:
    return {
        a.id: AccountInfo(a.id, a.name, a.type, a.currency, a.is_archived)
        for a in ledger_service.list_accounts(session, ctx, include_archived=True)
    }


def apply_rules(
    session: Session, ctx: TenantContext, *, transaction_ids: Sequence[uuid.UUID]
) -> RulesOutcome:
    """The tenant's enabled rules, in order, on these entries (after a bank import), with
    raw payees cleaned up first (`matching.is_raw_payee`)."""
    compiled = _compiled(
        session, ctx, RuleRepository(session, ctx.tenant_id).ordered(enabled_only=True)
    )
    rows = list(entry_rows(session, ctx, transaction_ids).values())
    plans = run(rows, compiled, accounts_of(session, ctx), clean_payees=True)
    return _write(session, ctx, plans, source="import", rules=[r.id for r in compiled])


def apply_on_demand(session: Session, ctx: TenantContext, request: ApplyRequest) -> ApplyResult:
    """One rule (even a disabled one) or every enabled rule, on existing entries."""
    repo = RuleRepository(session, ctx.tenant_id)
    if request.rule_id is not None:
        rule = repo.get(request.rule_id)
        if rule is None:
            raise RuleNotFound(field="rule_id")
        saved = [rule]
    else:
        saved = repo.ordered(enabled_only=True)
    compiled = _compiled(session, ctx, saved)
    scan = EntryScan(
        date_from=request.date_from, date_to=request.date_to, account_id=request.account_id
    )
    accounts = accounts_of(session, ctx)
    plans: list[Plan] = []
    for batch in _rows(session, ctx, scan, request.transaction_ids):
        plans.extend(run(batch, compiled, accounts, clean_payees=request.clean_payees))
    outcome = _write(session, ctx, plans, source="on_demand", rules=[r.id for r in compiled])
    return ApplyResult(
        matched=outcome.matched,
        changed=outcome.changed,
        categorised=outcome.categorised,
        renamed=outcome.renamed,
        tagged=outcome.tagged,
        transferred=outcome.transferred,
        skipped=outcome.skipped,
    )


def preview(
    session: Session,
    ctx: TenantContext,
    *,
    rule_id: uuid.UUID | None = None,
    body: RuleBody | None = None,
    limit: int = 20,
) -> Preview:
    """What one rule (saved, or as written) would change on the tenant's live entries,
    changing nothing: the first `limit` changes (newest first) and the totals."""
    if rule_id is not None:
        rule = RuleRepository(session, ctx.tenant_id).get(rule_id)
        if rule is None:
            raise RuleNotFound()
        conditions, actions, name = conditions_of(rule), actions_of(rule), rule.name
    else:
        assert body is not None
        conditions, actions, name = body.conditions, body.actions, body.name
    uncategorised = ledger_service.uncategorised_ids(session, ctx)
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    compiled = compile_rule(
        rule_id, name, True, conditions, actions,
        amount_currency=currency, uncategorised=uncategorised,
    )  # fmt: skip
    accounts = accounts_of(session, ctx)
    items: list[PreviewItem] = []
    matched = total = 0
    for batch in scan_entries(session, ctx, _prefilter(conditions, uncategorised)):
        for plan in run(batch, [compiled], accounts, clean_payees=False):
            matched += bool(plan.rules)
            if plan.changed:
                total += 1
                if len(items) < limit:
                    items.append(_item(plan, accounts))
    return Preview(items=items, total=total, matched=matched, limit=limit)


def _compiled(session: Session, ctx: TenantContext, rules: Iterable[Rule]) -> list[CompiledRule]:
    uncategorised = ledger_service.uncategorised_ids(session, ctx)
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    return [
        compile_rule(
            rule.id,
            rule.name,
            rule.stop_processing,
            conditions_of(rule),
            actions_of(rule),
            amount_currency=rule.amount_currency or base,
            uncategorised=uncategorised,
        )
        for rule in rules
    ]


def _prefilter(c: Conditions, uncategorised: frozenset[uuid.UUID]) -> EntryScan:
    """The part of a rule's conditions the database can test (the rest runs in memory)."""
    category: tuple[uuid.UUID, ...] | None = None
    if c.category == "uncategorised":
        category = tuple(uncategorised)
    elif c.category is not None:
        category = (c.category,)
    return EntryScan(
        date_from=c.date_from,
        date_to=c.date_to,
        account_id=c.account_id,
        category_ids=category,
        payee_contains=c.payee.value if c.payee and c.payee.op == "contains" else None,
        description_contains=(
            c.description.value if c.description and c.description.op == "contains" else None
        ),
    )


def _rows(
    session: Session, ctx: TenantContext, scan: EntryScan, ids: list[uuid.UUID] | None
) -> Iterator[list[EntryRow]]:
    if ids is None:
        yield from scan_entries(session, ctx, scan)
        return
    rows = entry_rows(session, ctx, ids).values()
    yield [
        r
        for r in rows
        if (scan.account_id is None or scan.account_id in (r.account_id, r.counter_id))
        and (scan.date_from is None or r.occurred_on >= scan.date_from)
        and (scan.date_to is None or r.occurred_on <= scan.date_to)
    ]


def _write(
    session: Session, ctx: TenantContext, plans: list[Plan], *, source: str, rules: list[Any]
) -> RulesOutcome:
    changed = [p for p in plans if p.changed]
    transfers = [p for p in changed if p.after.kind == "transfer" != p.before.kind]
    for plan in transfers:
        update_transaction(session, ctx, plan.row.id, _transfer_edit(plan))
    edits = [p for p in changed if p.after.kind != "transfer"]
    bulk_edit(session, ctx, [_edit(p) for p in edits], rows={p.row.id: p.row for p in edits})
    return _report(session, ctx, plans, transfers, source=source, rules=rules)


def _report(
    session: Session,
    ctx: TenantContext,
    plans: list[Plan],
    transfers: list[Plan],
    *,
    source: str,
    rules: Sequence[Any],
) -> RulesOutcome:
    """A run's counts, and its one `rule.apply` audit event when it changed anything."""
    changed = [p for p in plans if p.changed]
    outcome = RulesOutcome(
        matched=sum(1 for p in plans if p.rules),
        changed=len(changed),
        categorised=sum(
            1
            for p in changed
            if p.after.kind != "transfer" and p.after.category_id != p.before.category_id
        ),
        renamed=sum(1 for p in changed if p.after.payee != p.before.payee),
        tagged=sum(1 for p in changed if p.after.tags != p.before.tags),
        transferred=len(transfers),
        skipped=sum(len(p.skipped) for p in plans),
    )
    if outcome.changed:
        audit_service.record(
            session, ctx, action="rule.apply", resource_type="rule",
            after={"source": source, "rules": [str(r) for r in rules],
                   **{k: getattr(outcome, k) for k in RulesOutcome.__slots__}},
        )  # fmt: skip
    return outcome


def _edit(plan: Plan) -> EntryEdit:
    before, after = plan.before, plan.after
    return EntryEdit(
        transaction_id=plan.row.id,
        category_id=after.category_id if after.category_id != before.category_id else None,
        payee=after.payee if after.payee != before.payee else None,
        tags=after.tags if after.tags != before.tags else None,
    )


def _transfer_edit(plan: Plan) -> TransactionUpdate:
    """Money out of the bank goes to the account; money in comes from it."""
    bank, other = plan.row.account_id, plan.after.transfer_account_id
    source, destination = (bank, other) if plan.row.signed < 0 else (other, bank)
    fields: dict[str, Any] = {
        "type": "transfer",
        "account_id": source,
        "transfer_account_id": destination,
    }
    if plan.after.payee != plan.before.payee:
        fields["payee"] = plan.after.payee
    if plan.after.tags != plan.before.tags:
        fields["tags"] = list(plan.after.tags)
    return TransactionUpdate(**fields)


def _state(state: State, accounts: dict[uuid.UUID, AccountInfo]) -> EntryState:
    def name(account_id: uuid.UUID | None) -> str | None:
        account = accounts.get(account_id) if account_id else None
        return account.name if account else None

    return EntryState(
        type=state.kind,
        payee=state.payee,
        category_id=state.category_id,
        category_name=name(state.category_id),
        transfer_account_id=state.transfer_account_id,
        transfer_account_name=name(state.transfer_account_id),
        tags=list(state.tags),
    )


def _item(plan: Plan, accounts: dict[uuid.UUID, AccountInfo]) -> PreviewItem:
    row = plan.row
    return PreviewItem(
        transaction_id=row.id,
        date=row.occurred_on,
        description=row.description,
        amount=Money.from_minor(row.signed, row.currency).to_json(),
        currency=row.currency,
        before=_state(plan.before, accounts),
        after=_state(plan.after, accounts),
        rules=plan.rules,
        skipped=plan.skipped,
    )
