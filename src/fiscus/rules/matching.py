"""The rules engine: rules compiled once per run, then run in order over entry rows.

Pure (no database): the service loads the rows and the chart, and writes the plans. A
run works on a mutable `State` of each entry, so a later rule sees what an earlier one
did (a renamed payee, a category set); `stop_processing` ends the run of an entry its
rule matched. Actions that cannot apply to an entry are skipped with the reason (an
expense category on an income entry, a reconciled entry's category, another currency):
the entry's other actions still apply.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from fiscus.core.currency import exponent
from fiscus.ledger.entry_rows import EntryRow
from fiscus.rules.patterns import MAX_TEXT, compile_pattern
from fiscus.rules.payees import clean_payee
from fiscus.rules.schemas import Actions, Conditions, TextCondition

CATEGORY_KINDS = ("income", "expense")
BALANCE_SHEET = ("asset", "liability", "equity")


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: uuid.UUID
    name: str
    type: str
    currency: str
    is_archived: bool


@dataclass(slots=True)
class State:
    """What a run may change of an entry."""

    kind: str
    payee: str | None
    category_id: uuid.UUID | None
    transfer_account_id: uuid.UUID | None
    tags: tuple[str, ...]


@dataclass(slots=True)
class Plan:
    row: EntryRow
    before: State
    after: State
    rules: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before


Test = Callable[[EntryRow, State], bool]


TextTest = Callable[[str | None], bool]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """`payee` and `description` test the text alone, so a run remembers their answers
    per distinct text (payees repeat: a few hundred merchants over many lines); `tests`
    are the other conditions, cheapest first."""

    id: uuid.UUID | None
    name: str
    stop: bool
    payee: TextTest | None
    description: TextTest | None
    tests: tuple[Test, ...]
    actions: Actions

    def matches(self, row: EntryRow, state: State) -> bool:
        if self.payee is not None and not self.payee(state.payee):
            return False
        return self.matches_rest(row, state)

    def matches_rest(self, row: EntryRow, state: State) -> bool:
        """Every condition but the payee's."""
        if self.description is not None and not self.description(row.description):
            return False
        for test in self.tests:  # noqa: SIM110 (a plain loop: the hot path of a run)
            if not test(row, state):
                return False
        return True


def compile_rule(
    rule_id: uuid.UUID | None,
    name: str,
    stop: bool,
    conditions: Conditions,
    actions: Actions,
    *,
    amount_currency: str,
    uncategorised: Collection[uuid.UUID],
) -> CompiledRule:
    """Tests for the conditions given, cheapest first (regexes compiled here, once)."""
    c = conditions
    tests: list[Test] = []
    if c.account_id is not None:
        account = c.account_id
        tests.append(lambda r, s: account in (r.account_id, r.counter_id))
    if c.date_from is not None:
        start = c.date_from
        tests.append(lambda r, s: r.occurred_on >= start)
    if c.date_to is not None:
        end = c.date_to
        tests.append(lambda r, s: r.occurred_on <= end)
    if c.sign == "in":
        tests.append(lambda r, s: r.signed > 0)
    elif c.sign == "out":
        tests.append(lambda r, s: r.signed < 0)
    if c.amount_min is not None or c.amount_max is not None:
        tests.append(_amount_test(c.amount_min, c.amount_max, amount_currency))
    if c.category == "uncategorised":
        uncat = frozenset(uncategorised)
        tests.append(lambda r, s: s.kind in CATEGORY_KINDS and s.category_id in uncat)
    elif c.category is not None:
        wanted = c.category
        tests.append(lambda r, s: s.category_id == wanted)
    payee = None if c.payee is None else _text_test(c.payee, "conditions.payee.value")
    description = (
        None if c.description is None else _text_test(c.description, "conditions.description.value")
    )
    return CompiledRule(rule_id, name, stop, payee, description, tuple(tests), actions)


def _text_test(condition: TextCondition, where: str) -> TextTest:
    if condition.op == "contains":
        needle = condition.value.casefold()
        return lambda text: needle in (text or "")[:MAX_TEXT].casefold()
    pattern = compile_pattern(condition.value, where)
    return lambda text: pattern.search((text or "")[:MAX_TEXT]) is not None


def _remembered(test: TextTest | None) -> TextTest | None:
    """`test` answering each distinct text once (for the length of one run)."""
    if test is None:
        return None
    answers: dict[str | None, bool] = {}

    def remembered(text: str | None) -> bool:
        found = answers.get(text)
        if found is None:
            found = answers[text] = test(text)
        return found

    return remembered


def _amount_test(low: str | None, high: str | None, currency: str) -> Test:
    """Bounds on the entry's size, in its own currency's minor units (as the ledger's
    amount filters do: 100 is 100.00 AUD and 100 JPY)."""
    bounds = (
        None if low is None else Decimal(low),
        None if high is None else Decimal(high),
    )
    by_currency: dict[str, tuple[int | None, int | None]] = {}

    def minor(code: str) -> tuple[int | None, int | None]:
        if code not in by_currency:
            scale = Decimal(10) ** exponent(code)
            lo, hi = bounds
            by_currency[code] = (
                None if lo is None else int((lo * scale).to_integral_value(ROUND_CEILING)),
                None if hi is None else int((hi * scale).to_integral_value(ROUND_FLOOR)),
            )
        return by_currency[code]

    def test(r: EntryRow, s: State) -> bool:
        lo, hi = minor(r.currency)
        size = abs(r.signed) or r.amount
        return (lo is None or size >= lo) and (hi is None or size <= hi)

    return test


def initial_state(row: EntryRow) -> State:
    return State(row.kind, row.payee, row.category_id, row.counter_id, row.tags)


def is_raw_payee(payee: str | None) -> bool:
    """Empty, or written as banks write them: letters all in capitals."""
    if payee is None or not payee.strip():
        return True
    return any(c.isalpha() for c in payee) and payee == payee.upper()


def run(
    rows: Sequence[EntryRow],
    rules: Sequence[CompiledRule],
    accounts: Mapping[uuid.UUID, AccountInfo],
    *,
    clean_payees: bool,
) -> list[Plan]:
    """A plan for each row (journal entries, which have no bank side, are left out)."""
    rules = [replace(r, description=_remembered(r.description)) for r in rules]
    candidates = _Candidates(rules)
    plans: list[Plan] = []
    for row in rows:
        if row.account_id is None:
            continue
        before = initial_state(row)
        plan = Plan(row, before, replace(before))
        if clean_payees and is_raw_payee(row.payee):
            raw = row.payee if row.payee and row.payee.strip() else row.description
            plan.after.payee = clean_payee(raw) if raw.strip() else row.payee
        _run_one(plan, rules, candidates, accounts)
        plans.append(plan)
    return plans


class _Candidates:
    """For each distinct payee, the positions of the rules whose payee condition it
    meets (or that have none): a run visits those only, not every rule."""

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = rules
        self.by_payee: dict[str | None, tuple[int, ...]] = {}

    def of(self, payee: str | None) -> tuple[int, ...]:
        found = self.by_payee.get(payee)
        if found is None:
            found = self.by_payee[payee] = tuple(
                i for i, r in enumerate(self.rules) if r.payee is None or r.payee(payee)
            )
        return found


def _run_one(
    plan: Plan,
    rules: Sequence[CompiledRule],
    candidates: _Candidates,
    accounts: Mapping[uuid.UUID, AccountInfo],
) -> None:
    """The rules in order on one entry; a renamed payee switches to its own candidates
    from the next rule on."""
    state, row = plan.after, plan.row
    payee = state.payee
    todo = candidates.of(payee)
    at = 0
    while at < len(todo):
        rule = rules[todo[at]]
        if rule.matches_rest(row, state):
            plan.rules.append(rule.name)
            _act(plan, rule, accounts)
            if rule.stop:
                return
            if state.payee != payee:
                payee, done = state.payee, todo[at]
                todo = candidates.of(payee)
                at = bisect_right(todo, done)
                continue
        at += 1


def _act(plan: Plan, rule: CompiledRule, accounts: Mapping[uuid.UUID, AccountInfo]) -> None:
    a, state, row = rule.actions, plan.after, plan.row
    if a.rename_payee is not None:
        state.payee = a.rename_payee
    if a.add_tags:
        state.tags = tuple(sorted({*state.tags, *(t.lower() for t in a.add_tags)}))
    if a.set_category_id is not None:
        why = _category_refusal(row, state, accounts.get(a.set_category_id))
        if why:
            plan.skipped.append(f"{rule.name}: set category skipped, {why}")
        else:
            state.category_id = a.set_category_id
    if a.transfer_account_id is not None:
        why = _transfer_refusal(row, state, accounts.get(a.transfer_account_id))
        if why:
            plan.skipped.append(f"{rule.name}: transfer skipped, {why}")
        else:
            state.kind, state.category_id = "transfer", None
            state.transfer_account_id = a.transfer_account_id


def _category_refusal(row: EntryRow, state: State, category: AccountInfo | None) -> str:
    if category is None or category.type not in CATEGORY_KINDS:
        return "the category no longer exists"
    if category.is_archived:
        return "the category is archived"
    if state.kind not in CATEGORY_KINDS:
        return f"a {state.kind} has no category"
    if category.type != state.kind:
        return f"an {state.kind} cannot take an {category.type} category"
    if category.currency != row.currency:
        return f"the entry is in {row.currency}, the category in {category.currency}"
    if row.status == "reconciled" and category.id != row.category_id:
        return "the entry is reconciled"
    return ""


def _transfer_refusal(row: EntryRow, state: State, account: AccountInfo | None) -> str:
    if account is None or account.type not in BALANCE_SHEET:
        return "the account no longer exists"
    if account.is_archived:
        return "the account is archived"
    if row.kind not in CATEGORY_KINDS or state.kind not in CATEGORY_KINDS:
        return f"a {state.kind} cannot become a transfer"
    if account.id == row.account_id:
        return "it is the entry's own account"
    if account.currency != row.currency:
        return f"the entry is in {row.currency}, the account in {account.currency}"
    if row.status == "reconciled":
        return "the entry is reconciled"
    return ""
