"""Use cases of the rules domain: create, edit, reorder and delete rules; preview and
apply them (`service_run`); `apply_rules` for the import flow.

Invariants kept here: every account a rule names (condition or action) is one of the
tenant's, of the right kind (a bank side is an asset, liability or equity account; a
category an income or expense one); a rule has at least one action, and cannot both set
a category and make a transfer; regexes are valid and safe (`patterns`); amount bounds
are non-negative decimal strings with `amount_min <= amount_max`, and `date_from <=
date_to`. Positions are 0..n-1 without gaps. Every change is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, event, or_, select
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput
from fiscus.core.money import Money
from fiscus.ledger import events
from fiscus.ledger.models import Account
from fiscus.ledger.transactions import encode_tags
from fiscus.rules.models import Rule
from fiscus.rules.patterns import compile_pattern
from fiscus.rules.repository import ACCOUNT_COLUMNS, RuleRepository
from fiscus.rules.schemas import (
    Actions,
    Conditions,
    RuleBody,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from fiscus.rules.service_run import (
    RuleNotFound,
    RulesOutcome,
    accounts_of,
    actions_of,
    apply_on_demand,
    apply_rules,
    conditions_of,
    preview,
)
from fiscus.tenancy import service as tenancy_service

__all__ = [
    "RuleNotFound",
    "RulesOutcome",
    "apply_on_demand",
    "apply_rules",
    "conditions_of",
    "preview",
]

MAX_RULES = 500
BANK_SIDE = ("asset", "liability", "equity")
CATEGORY_TYPES = ("income", "expense")


class InvalidRule(InvalidInput):
    """The rule is not valid."""

    code = "invalid_rule"


class TooManyRules(Conflict):
    """This tenant has as many rules as it may have; delete some first."""

    code = "too_many_rules"


class InvalidOrder(InvalidInput):
    """The new order must list every rule of the tenant exactly once."""

    code = "invalid_order"


def rule_read(rule: Rule) -> RuleRead:
    return RuleRead(
        id=rule.id,
        name=rule.name,
        position=rule.position,
        enabled=rule.is_enabled,
        stop_processing=rule.stop_processing,
        conditions=conditions_of(rule),
        actions=actions_of(rule),
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def list_rules(session: Session, ctx: TenantContext) -> list[Rule]:
    return RuleRepository(session, ctx.tenant_id).ordered()


def get_rule(session: Session, ctx: TenantContext, rule_id: uuid.UUID) -> Rule:
    rule = RuleRepository(session, ctx.tenant_id).get(rule_id)
    if rule is None:
        raise RuleNotFound()
    return rule


def check_body(session: Session, ctx: TenantContext, body: RuleBody) -> None:
    """Every problem of an unsaved rule, as InvalidInput naming the field (the first)."""
    _store(session, ctx, Rule(tenant_id=ctx.tenant_id), body.conditions, body.actions)


def create_rule(session: Session, ctx: TenantContext, body: RuleCreate) -> Rule:
    repo = RuleRepository(session, ctx.tenant_id)
    rules = repo.ordered()
    if len(rules) >= MAX_RULES:
        raise TooManyRules()
    rule = Rule(
        tenant_id=ctx.tenant_id,
        name=body.name,
        is_enabled=body.enabled,
        stop_processing=body.stop_processing,
        position=len(rules),
    )
    _store(session, ctx, rule, body.conditions, body.actions)
    repo.add(rule)
    _place(rules, rule, len(rules) if body.position is None else body.position)
    session.flush()
    _audit(session, ctx, "rule.create", rule, None)
    return rule


def update_rule(session: Session, ctx: TenantContext, rule_id: uuid.UUID, body: RuleUpdate) -> Rule:
    rule = get_rule(session, ctx, rule_id)
    before = _snapshot(rule)
    changes = body.model_dump(include=body.model_fields_set)
    for name in ("name", "enabled", "stop_processing", "position", "conditions", "actions"):
        if name in changes and changes[name] is None:
            raise InvalidInput("must not be null", field=name)
    if body.name is not None:
        rule.name = body.name
    if body.enabled is not None:
        rule.is_enabled = body.enabled
    if body.stop_processing is not None:
        rule.stop_processing = body.stop_processing
    if body.conditions is not None or body.actions is not None:
        conditions = body.conditions or conditions_of(rule)
        _store(session, ctx, rule, conditions, body.actions or actions_of(rule))
    if body.position is not None:
        others = [r for r in RuleRepository(session, ctx.tenant_id).ordered() if r.id != rule.id]
        _place(others, rule, body.position)
    session.flush()
    if _snapshot(rule) != before:
        _audit(session, ctx, "rule.update", rule, before)
    return rule


def delete_rule(session: Session, ctx: TenantContext, rule_id: uuid.UUID) -> None:
    rule = get_rule(session, ctx, rule_id)
    before = _snapshot(rule)
    session.delete(rule)
    session.flush()
    for position, other in enumerate(RuleRepository(session, ctx.tenant_id).ordered()):
        other.position = position
    session.flush()
    audit_service.record(
        session, ctx, action="rule.delete", resource_type="rule", resource_id=rule_id,
        before=before,
    )  # fmt: skip


def reorder_rules(session: Session, ctx: TenantContext, ids: list[uuid.UUID]) -> list[Rule]:
    rules = {r.id: r for r in RuleRepository(session, ctx.tenant_id).ordered()}
    if len(set(ids)) != len(ids) or set(ids) != set(rules):
        unknown = [str(i) for i in ids if i not in rules]
        missing = [str(i) for i in rules if i not in ids]
        detail = "; ".join(
            part
            for part in (
                f"unknown: {', '.join(unknown)}" if unknown else "",
                f"missing: {', '.join(missing)}" if missing else "",
                "an id is listed twice" if len(set(ids)) != len(ids) else "",
            )
            if part
        )
        raise InvalidOrder(f"must list every rule exactly once ({detail})", field="ids")
    before = [str(r) for r in rules]
    for position, rule_id in enumerate(ids):
        rules[rule_id].position = position
    session.flush()
    audit_service.record(
        session, ctx, action="rule.reorder", resource_type="rule",
        before={"order": before}, after={"order": [str(i) for i in ids]},
    )  # fmt: skip
    return [rules[i] for i in ids]


def _place(others: list[Rule], rule: Rule, position: int) -> None:
    ordered = [r for r in others if r is not rule]
    ordered.insert(min(position, len(ordered)), rule)
    for index, item in enumerate(ordered):
        item.position = index


def _store(session: Session, ctx: TenantContext, rule: Rule, c: Conditions, a: Actions) -> None:
    """Check conditions and actions against the chart, then write them onto `rule`."""
    accounts = accounts_of(session, ctx)
    _account(accounts, c.account_id, "conditions.account_id", BANK_SIDE)
    if c.category is not None and c.category != "uncategorised":
        _account(accounts, c.category, "conditions.category", CATEGORY_TYPES)
    _account(accounts, a.set_category_id, "actions.set_category_id", CATEGORY_TYPES)
    _account(accounts, a.transfer_account_id, "actions.transfer_account_id", BANK_SIDE)
    if a.set_category_id and a.transfer_account_id:
        raise InvalidRule(
            "cannot be combined with set_category_id: a transfer has no category",
            field="actions.transfer_account_id",
        )
    if not (a.set_category_id or a.rename_payee or a.add_tags or a.transfer_account_id):
        raise InvalidRule("must have at least one action", field="actions")
    for where, text in (("payee", c.payee), ("description", c.description)):
        if text is not None and text.op == "regex":
            compile_pattern(text.value, f"conditions.{where}.value")
    if c.date_from and c.date_to and c.date_from > c.date_to:
        raise InvalidRule("must not be after date_to", field="conditions.date_from")
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    low, high = (_bound(v, currency, f"conditions.{n}") for n, v in
                 (("amount_min", c.amount_min), ("amount_max", c.amount_max)))  # fmt: skip
    if low is not None and high is not None and low > high:
        raise InvalidRule("must not be more than amount_max", field="conditions.amount_min")
    rule.payee_op, rule.payee_value = (c.payee.op, c.payee.value) if c.payee else (None, None)
    rule.description_op, rule.description_value = (
        (c.description.op, c.description.value) if c.description else (None, None)
    )
    rule.amount_min, rule.amount_max = low, high
    rule.amount_currency = currency if low is not None or high is not None else None
    rule.sign, rule.account_id = c.sign, c.account_id
    rule.date_from, rule.date_to = c.date_from, c.date_to
    rule.category_match = None if c.category is None else (
        "uncategorised" if c.category == "uncategorised" else "category"
    )  # fmt: skip
    rule.category_id = c.category if isinstance(c.category, uuid.UUID) else None
    rule.set_category_id, rule.rename_payee = a.set_category_id, a.rename_payee
    rule.add_tags = encode_tags(a.add_tags)
    rule.transfer_account_id = a.transfer_account_id


def _account(
    accounts: dict[uuid.UUID, Any], account_id: uuid.UUID | None, field: str, types: tuple[str, ...]
) -> None:
    if account_id is None:
        return
    account = accounts.get(account_id)
    if account is None:
        raise InvalidRule("no such account", field=field)
    if account.type not in types:
        raise InvalidRule(f"must be an account of type {' or '.join(types)}", field=field)


def _bound(text: str | None, currency: str, field: str) -> int | None:
    if text is None:
        return None
    amount = Money.parse(text, currency, field=field)
    if amount.is_negative:
        raise InvalidRule("must not be negative; use sign for the direction", field=field)
    return amount.minor_units


def _snapshot(rule: Rule) -> dict[str, Any]:
    return rule_read(rule).model_dump(mode="json", exclude={"created_at", "updated_at"})


def _audit(
    session: Session, ctx: TenantContext, action: str, rule: Rule, before: dict[str, Any] | None
) -> None:
    audit_service.record(
        session, ctx, action=action, resource_type="rule", resource_id=rule.id,
        before=before, after=_snapshot(rule),
    )  # fmt: skip


@events.on_account_replaced
def account_replaced(
    session: Session, tenant_id: uuid.UUID, old_id: uuid.UUID, new_id: uuid.UUID
) -> None:
    """A merged or reassigned category: the rules naming it now name the one taking its
    place."""
    RuleRepository(session, tenant_id).repoint(old_id, new_id)


class AccountHasRules(Conflict):
    """Rules name this account; change or delete them first."""

    code = "account_has_rules"


@event.listens_for(Account, "before_delete")
def _refuse_deleting_a_named_account(_mapper: Any, connection: Connection, target: Any) -> None:
    """The foreign keys would refuse it with an opaque error at flush: a 409 instead."""
    named = connection.scalar(
        select(Rule.id)
        .where(
            Rule.tenant_id == target.tenant_id,
            or_(*(getattr(Rule, name) == target.id for name in ACCOUNT_COLUMNS)),
        )
        .limit(1)
    )
    if named is not None:
        raise AccountHasRules()
