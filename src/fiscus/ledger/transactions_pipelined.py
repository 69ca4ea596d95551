"""A new entry in two round trips: the hot write without a Session (PostgreSQL).

`create_simple`/`create_journal` in a Session make six round trips (BEGIN and the scope,
authentication, the chart lookup, the write, the audit link, COMMIT) and pay SQLAlchemy's
per-statement work and a thread-pool hop. Here the same entry is made as two pipelines
on the asyncio pool (`web/deps_write.pipelined_write`):

1. reads: the caller's live role, the chart lookup of the entry's accounts (with the
   chart probes) and whether the tenant's audit chain has a head;
2. the write: the entry, its postings, the snapshot deltas and every entry rider's rows
   in the write's one statement, the audit event linked by the database, COMMIT.

The entry's lines are checked in between exactly as in a Session (`simple_lines_in`,
`journal_lines_in`: the same errors), and the rows written are the rows the Session's
path writes (tests/ledger/test_transactions_pipelined.py compares them). The reads and
the write are two transactions: what the write relies on cannot change in between in a
way the Session's path would see (an account archived meanwhile is the same race under
READ COMMITTED there; a deleted account fails the write's foreign key; a chain head is
never removed).

Anything else is declined (`create_writes` returns None) and the Session's path answers:
an Idempotency-Key (the replay and its unique key), a probe that answers yes (goals with
spending limits: their listener must run), a postings listener not declared quiet here, a
tenant whose chain has no head yet, an event the database cannot hash, a write larger than
one fixed shape.
"""

from __future__ import annotations

import uuid

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.db.pipelined import Read, Rows
from fiscus.ledger import events
from fiscus.ledger.balances import deltas_of
from fiscus.ledger.repository_writes import chart_read, pipelined_chart, pipelined_write
from fiscus.ledger.schemas_transactions import JournalTransactionCreate, SimpleTransactionCreate
from fiscus.ledger.transactions import (
    Entry,
    created_event,
    journal_lines_in,
    new_entry,
    simple_account_ids,
    simple_lines_in,
)

CreateForm = SimpleTransactionCreate | JournalTransactionCreate


def create_reads(tenant_id: uuid.UUID, data: CreateForm) -> list[Read]:
    """What `create_writes` needs read, in this order: the chart lookup and whether the
    tenant's audit chain has a head."""
    if isinstance(data, JournalTransactionCreate):
        ids = [posting.account_id for posting in data.postings]
    else:
        ids = simple_account_ids(data)
    return [chart_read(tenant_id, ids), audit_service.chain_started_read(tenant_id)]


def create_writes(
    ctx: TenantContext, data: CreateForm, rows: list[Rows]
) -> tuple[list[Read], Entry] | None:
    """The statements that post `data` and audit it, and the entry they write; None to
    leave the entry to the Session's path (see the module docstring). Invalid input
    raises the Session path's `InvalidInput`."""
    chart_rows, head_rows = rows
    chart = pipelined_chart(chart_rows)
    if not (chart.quiet and head_rows[0][0] and events.pipelined_writes_allowed()):
        return None
    if isinstance(data, JournalTransactionCreate):
        lines = journal_lines_in(chart.accounts, data.postings)
    else:
        lines = simple_lines_in(chart.accounts, data)
    entry = new_entry(ctx.tenant_id, data, lines, key=None, now=utcnow())
    txn, postings = entry
    write = pipelined_write(
        ctx.tenant_id, [txn], postings, deltas_of(postings, 1), chart.uncategorised
    )
    link = audit_service.pipelined_link(audit_service.event_columns(ctx, **created_event(entry)))
    if write is None or link is None:
        return None
    return [write, link], entry
