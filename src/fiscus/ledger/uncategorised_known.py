"""Which accounts are Uncategorised categories, as far as this unit of work has read them.

Postings listeners of other domains (the categoriser's learning queue) ask of every leg
whether it is on an Uncategorised category. The write path has just read those very
accounts (`repository_writes.chart_accounts`), so it notes the answer here and the
question costs no query; an account not read yet is looked up once. The notes live in
`session.info` for one unit of work (dropped at commit and rollback), and an account's
note is dropped when the account is updated (its code or type may change).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from fiscus.ledger.models import Account

CODE_PREFIX = "UNCAT-"  # the code that marks an Uncategorised category (see uncategorised.py)
_KNOWN = "fiscus.ledger.uncategorised_known"  # session.info: (tenant, account) -> bool


def is_uncategorised_account(type_: str, code: str | None) -> bool:
    return type_ in ("income", "expense") and (code or "").startswith(CODE_PREFIX)


def _known(session: Session) -> dict[tuple[uuid.UUID, uuid.UUID], bool]:
    found: dict[tuple[uuid.UUID, uuid.UUID], bool] = session.info.setdefault(_KNOWN, {})
    return found


def note(
    session: Session, tenant_id: uuid.UUID, rows: Iterable[tuple[uuid.UUID, str, str | None]]
) -> None:
    """Remember of each (id, type, code) read whether it is an Uncategorised category."""
    known = _known(session)
    for account_id, type_, code in rows:
        known[(tenant_id, account_id)] = is_uncategorised_account(type_, code)


def forget(session: Session, tenant_id: uuid.UUID, account_id: uuid.UUID) -> None:
    _known(session).pop((tenant_id, account_id), None)


def among(
    session: Session, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> frozenset[uuid.UUID]:
    """The Uncategorised categories among `ids`: from the notes, the rest read once."""
    known = _known(session)
    unread = sorted(i for i in set(ids) if (tenant_id, i) not in known)
    if unread:
        query = select(Account.id, Account.type, Account.code).where(
            Account.tenant_id == tenant_id, Account.id.in_(unread)
        )
        note(session, tenant_id, ((r[0], r[1], r[2]) for r in session.execute(query)))
    return frozenset(i for i in ids if known.get((tenant_id, i), False))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _drop_notes(session: Session) -> None:
    session.info.pop(_KNOWN, None)
