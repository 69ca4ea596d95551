"""Use cases of the recurring domain: detect series, list and read them, confirm, edit,
dismiss; and the balance forecast (in `forecast`, re-exported here).

Re-detection rule (see docs.md): a detected series is matched to a stored one by shared
transactions, else by account, cleaned payee, direction and amount band. A dismissed
match is left exactly as it is (never resurrected); a suggested or confirmed match gets
its occurrences, flags and confidence refreshed, but every field the user edited (name,
cadence, expected amount, expected date) keeps the user's value. An edited expected date
only moves on by the user's cadence once a payment on or after it has been seen.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput, NotFound
from fiscus.core.ids import new_id
from fiscus.core.money import Money
from fiscus.ledger import service as ledger_service
from fiscus.recurring.cadence import CADENCES, is_missed, roll_forward, step
from fiscus.recurring.detection import DetectedSeries, detect, in_band
from fiscus.recurring.forecast import forecast
from fiscus.recurring.models import RecurringSeries
from fiscus.recurring.repository import MovementRepository, SeriesRepository
from fiscus.recurring.schemas import (
    DetectResult,
    OccurrenceRead,
    SeriesDetail,
    SeriesFlags,
    SeriesRead,
    SeriesUpdate,
)
from fiscus.tenancy import service as tenancy_service

__all__ = [
    "SeriesNotFound",
    "confirm_series",
    "detect_recurring",
    "dismiss_series",
    "forecast",
    "get_series",
    "list_series",
    "series_detail",
    "series_reads",
    "update_series",
]

HISTORY_DAYS = 3 * 366 + 1  # how far back detection reads the books


class SeriesNotFound(NotFound):
    """The recurring series does not exist."""

    code = "recurring_series_not_found"


def get_series(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> RecurringSeries:
    series = SeriesRepository(session, ctx.tenant_id).get(series_id)
    if series is None:
        raise SeriesNotFound()
    return series


def list_series(
    session: Session,
    ctx: TenantContext,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[RecurringSeries], int]:
    return SeriesRepository(session, ctx.tenant_id).listed(
        status=status, offset=offset, limit=limit
    )


def series_reads(
    session: Session, ctx: TenantContext, rows: list[RecurringSeries]
) -> list[SeriesRead]:
    names = _account_names(session, ctx)
    today = tenancy_service.today(session, ctx.tenant_id)
    return [_read(s, names, today) for s in rows]


def series_detail(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> SeriesDetail:
    series = get_series(session, ctx, series_id)
    (read,) = series_reads(session, ctx, [series])
    history = [
        OccurrenceRead(
            transaction_id=o.transaction_id,
            date=o.occurred_on,
            amount=Money.from_minor(o.amount, series.currency).to_json(),
        )
        for o in SeriesRepository(session, ctx.tenant_id).occurrences(series.id)
    ]
    return SeriesDetail(**read.model_dump(), history=history)


def _account_names(session: Session, ctx: TenantContext) -> dict[uuid.UUID, str]:
    return {a.id: a.name for a in ledger_service.list_accounts(session, ctx, include_archived=True)}


def _read(series: RecurringSeries, names: dict[uuid.UUID, str], today: date) -> SeriesRead:
    def money(units: int) -> str:
        return Money.from_minor(units, series.currency).to_json()

    cadence = CADENCES[series.cadence]
    missed = series.status != "dismissed" and is_missed(cadence, series.next_on, today)
    previous = series.previous_amount if series.amount_changed else None
    return SeriesRead(
        id=series.id,
        status=series.status,
        name=series.name,
        payee=series.payee,
        cadence=series.cadence,
        account_id=series.account_id,
        account_name=names.get(series.account_id, ""),
        category_id=series.category_id,
        category_name=names.get(series.category_id) if series.category_id else None,
        currency=series.currency,
        expected_amount=money(series.amount),
        expected_on=series.next_on,
        last_seen_on=series.last_seen_on,
        occurrences=series.occurrence_count,
        confidence=f"{series.confidence / 100:.2f}",
        amount_spread=money(series.amount_spread),
        edited=sorted(series.edited_fields()),
        flags=SeriesFlags(
            missed=missed,
            amount_changed=series.amount_changed,
            previous_amount=None if previous is None else money(previous),
        ),
        created_at=series.created_at,
        updated_at=series.updated_at,
    )


def _snapshot(series: RecurringSeries) -> dict[str, Any]:
    return {
        "status": series.status,
        "name": series.name,
        "cadence": series.cadence,
        "amount": Money.from_minor(series.amount, series.currency).to_json(),
        "next_on": series.next_on.isoformat(),
        "edited": sorted(series.edited_fields()),
    }


def _set_status(
    session: Session, ctx: TenantContext, series_id: uuid.UUID, status: str
) -> RecurringSeries:
    series = get_series(session, ctx, series_id)
    before = _snapshot(series)
    series.status = status
    session.flush()
    audit_service.record(
        session,
        ctx,
        action=f"recurring.{'confirm' if status == 'confirmed' else 'dismiss'}",
        resource_type="recurring_series",
        resource_id=series.id,
        before=before,
        after=_snapshot(series),
    )
    return series


def confirm_series(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> RecurringSeries:
    return _set_status(session, ctx, series_id, "confirmed")


def dismiss_series(session: Session, ctx: TenantContext, series_id: uuid.UUID) -> RecurringSeries:
    return _set_status(session, ctx, series_id, "dismissed")


def update_series(
    session: Session, ctx: TenantContext, series_id: uuid.UUID, data: SeriesUpdate
) -> RecurringSeries:
    """Set name, cadence, expected amount or date; each one set is kept by re-detection."""
    series = get_series(session, ctx, series_id)
    before = _snapshot(series)
    changes = data.model_dump(include=data.model_fields_set)
    for name, value in changes.items():
        if value is None:
            raise InvalidInput("must not be null", field=name)
    edited = series.edited_fields()
    if "expected_amount" in changes:
        amount = Money.parse(changes["expected_amount"], series.currency, field="expected_amount")
        if amount.is_zero:
            raise InvalidInput("must not be zero", field="expected_amount")
        series.amount = amount.minor_units
        edited.add("amount")
    if "name" in changes:
        series.name = changes["name"]
        edited.add("name")
    if "cadence" in changes:
        series.cadence = changes["cadence"]
        edited.add("cadence")
    if "expected_on" in changes:
        series.next_on = changes["expected_on"]
        edited.add("next_on")
    if CADENCES[series.cadence].months:
        if "expected_on" in changes or series.anchor_day is None:
            series.anchor_day = series.next_on.day
    else:
        series.anchor_day = None
    series.edited = "".join(f",{f}" for f in sorted(edited)) + ("," if edited else "")
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="recurring.update",
        resource_type="recurring_series",
        resource_id=series.id,
        before=before,
        after=_snapshot(series),
    )
    return series


def detect_recurring(
    session: Session, ctx: TenantContext, *, today: date | None = None
) -> DetectResult:
    """Run detection over the tenant's books and store what it finds (see the module doc
    for what re-detection may and may not change). The import flow may call this after
    committing an import, inside the same unit of work."""
    today = today or tenancy_service.today(session, ctx.tenant_id)
    movements = MovementRepository(session, ctx.tenant_id).movements(
        today - timedelta(days=HISTORY_DAYS)
    )
    found = detect(movements, as_of=today)
    repo = SeriesRepository(session, ctx.tenant_id)
    stored = {s.id: s for s in repo.every()}
    owner = repo.occurrence_map()
    claimed: set[uuid.UUID] = set()
    created = updated = skipped = 0
    for detected in found:
        match = _match(detected, stored, owner, claimed)
        if match is None:
            series = _create(ctx, detected)
            repo.add(series)
            session.flush()
            created += 1
        elif match.status == "dismissed":
            claimed.add(match.id)
            skipped += 1
            continue
        else:
            claimed.add(match.id)
            series = match
            _refresh(series, detected)
            updated += 1
        repo.replace_occurrences(series, detected.occurrences)
    session.flush()
    result = DetectResult(
        found=len(found), created=created, updated=updated, skipped_dismissed=skipped
    )
    audit_service.record(
        session,
        ctx,
        action="recurring.detect",
        resource_type="recurring_series",
        after=result.model_dump(),
    )
    return result


def _match(
    detected: DetectedSeries,
    stored: dict[uuid.UUID, RecurringSeries],
    owner: dict[uuid.UUID, uuid.UUID],
    claimed: set[uuid.UUID],
) -> RecurringSeries | None:
    shared: dict[uuid.UUID, int] = {}
    for movement in detected.occurrences:
        series_id = owner.get(movement.id)
        if series_id is not None and series_id not in claimed:
            shared[series_id] = shared.get(series_id, 0) + 1
    if shared:
        best = max(sorted(shared, key=str), key=lambda s: shared[s])
        return stored[best]
    for series in sorted(stored.values(), key=lambda s: str(s.id)):
        if (
            series.id not in claimed
            and series.account_id == detected.account_id
            and series.payee_key == detected.payee_key
            and series.currency == detected.currency
            and (series.amount > 0) == (detected.amount > 0)
            and in_band(series.amount, detected.amount)
        ):
            return series
    return None


def _create(ctx: TenantContext, detected: DetectedSeries) -> RecurringSeries:
    series = RecurringSeries(
        id=new_id(),
        tenant_id=ctx.tenant_id,
        status="suggested",
        name=detected.payee[:200],
        payee_key=detected.payee_key[:200],
        account_id=detected.account_id,
        currency=detected.currency,
        cadence=detected.cadence,
        anchor_day=detected.anchor,
        amount=detected.amount,
        next_on=detected.next_on,
        edited="",
    )
    _refresh(series, detected)
    return series


def _refresh(series: RecurringSeries, detected: DetectedSeries) -> None:
    """Copy what detection knows onto `series`, keeping every field the user edited."""
    edited = series.edited_fields()
    series.payee = detected.payee[:200]
    series.category_id = detected.category_id
    series.amount_spread = detected.amount_spread
    series.amount_changed = detected.amount_changed
    series.previous_amount = detected.previous_amount
    series.last_seen_on = detected.occurrences[-1].on
    series.occurrence_count = len(detected.occurrences)
    series.confidence = int(detected.confidence * 100)
    series.detected_at = utcnow()
    if "name" not in edited:
        series.name = detected.payee[:200]
    if "amount" not in edited:
        series.amount = detected.amount
    if "cadence" not in edited:
        series.cadence = detected.cadence
        if "next_on" not in edited:  # an edited date carries its own day of the month
            series.anchor_day = detected.anchor
    cadence = CADENCES[series.cadence]
    if "next_on" not in edited:
        # The user's own cadence, when set, counts from the latest payment seen.
        user_cadence = "cadence" in edited and series.cadence != detected.cadence
        last = series.last_seen_on
        series.next_on = (
            step(cadence, last, 1, series.anchor_day) if user_cadence else detected.next_on
        )
        return
    if series.last_seen_on >= series.next_on - timedelta(days=cadence.tolerance):
        series.next_on = roll_forward(
            cadence, series.next_on, series.last_seen_on, series.anchor_day
        )
