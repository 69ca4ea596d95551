"""Use cases of tax returns: create, edit, calculate, ready, lodge, amend, delete.

Lifecycle: `draft -> ready -> lodged`. Any edit of a ready return puts it back to draft
(its assessment is cleared, so a stored assessment always belongs to the stored data).
A lodged return never changes again: a later change is an amendment, a new draft
version linked to it. A lodged return is kept for `tax_retention_years` after the date
it was lodged; deletion is refused until then.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.tax import errors
from fiscus.tax.models import TaxReturn
from fiscus.tax.repository import ReturnRepository
from fiscus.tax.returns_figures import keep_honest_provenance
from fiscus.tax.returns_figures import merge_patch as merge_patch
from fiscus.tax.returns_reads import (
    assessment_for,
    assessment_of,
    calculate_assessment,
    diff,
    retention_ends,
    return_read,
    return_summary,
)
from fiscus.tax.returns_schemas import (
    Assessment,
    Diff,
    Lodge,
    ReturnCreate,
    ReturnRead,
    ReturnSummary,
)
from fiscus.tax.returns_sections import ReturnData
from fiscus.tax.rules import YEARS
from fiscus.tenancy import service as tenancy_service


def person_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def get_return(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> TaxReturn:
    row = ReturnRepository(session, ctx.tenant_id).get(return_id)
    if row is None:
        raise errors.ReturnNotFound()
    return row


def read_return(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, retention_years: int
) -> ReturnRead:
    row = get_return(session, ctx, return_id)
    following = ReturnRepository(session, ctx.tenant_id).next_of(row.id)
    return return_read(row, None if following is None else following.id, retention_years)


def list_returns(
    session: Session,
    ctx: TenantContext,
    *,
    year: str | None,
    person: str | None,
    offset: int,
    limit: int,
) -> tuple[list[ReturnSummary], int]:
    if year is not None and year not in YEARS:
        raise InvalidInput(f"unknown income year; supported: {', '.join(YEARS)}", field="year")
    key = None if person is None else person_key(person)
    rows, total = ReturnRepository(session, ctx.tenant_id).listed(
        year=year, person=key, offset=offset, limit=limit
    )
    return [return_summary(row) for row in rows], total


def diff_return(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, against_id: uuid.UUID | None
) -> Diff:
    row = get_return(session, ctx, return_id)
    target = against_id or row.previous_id
    if target is None:
        raise errors.NotAmended(f"Version {row.version} has no earlier version to compare with.")
    against = get_return(session, ctx, target)
    if (against.person_key, against.year) != (row.person_key, row.year):
        raise InvalidInput("against must be a version of the same return", field="against")
    return diff(row, against)


def snapshot(row: TaxReturn) -> dict[str, Any]:
    return {
        "person": row.person_name,
        "year": row.year,
        "version": row.version,
        "status": row.status,
        "data": json.loads(row.data),
        "lodged_on": None if row.lodged_on is None else row.lodged_on.isoformat(),
        "lodgement_reference": row.lodgement_reference,
    }


def audit(
    session: Session,
    ctx: TenantContext,
    action: str,
    row: TaxReturn,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None = None,
) -> None:
    audit_service.record(
        session,
        ctx,
        action=f"tax.return.{action}",
        resource_type="tax_return",
        resource_id=row.id,
        before=before,
        after=after,
    )


def check_dates(year: str, data: ReturnData, prefix: str) -> None:
    """Capital gains must have been made (disposed of) within the income year."""
    rules = YEARS[year]
    for index, entry in enumerate(data.income.capital_gains.entries):
        if not rules.starts <= entry.disposed_on <= rules.ends:
            raise InvalidInput(
                f"disposed_on must fall within the income year {year} "
                f"({rules.starts} to {rules.ends})",
                field=f"{prefix}income.capital_gains.entries.{index}.disposed_on",
            )


def _check_member(session: Session, ctx: TenantContext, user_id: uuid.UUID | None) -> None:
    if user_id is None:
        return
    if user_id not in {m.user_id for m in tenancy_service.list_members(session, ctx)}:
        raise errors.NotAMember(field="person.user_id")


def create_return(session: Session, ctx: TenantContext, body: ReturnCreate) -> TaxReturn:
    check_dates(body.year, body.data, "data.")
    _check_member(session, ctx, body.person.user_id)
    repo = ReturnRepository(session, ctx.tenant_id)
    key = person_key(body.person.name)
    if repo.chain_exists(key, body.year):
        raise errors.ReturnExists()
    doc = body.data.model_dump(mode="json")
    keep_honest_provenance({}, doc)  # a new return has no prefilled figure yet
    row = TaxReturn(
        tenant_id=ctx.tenant_id,
        person_name=" ".join(body.person.name.split()),
        person_key=key,
        person_user_id=body.person.user_id,
        year=body.year,
        version=1,
        status="draft",
        data=json.dumps(doc),
    )
    _insert(session, repo, row)
    audit(session, ctx, "create", row, None, snapshot(row))
    return row


def _insert(session: Session, repo: ReturnRepository, row: TaxReturn) -> None:
    try:
        with session.begin_nested():
            repo.add(row)
            session.flush()
    except IntegrityError as exc:  # a concurrent request made the same version first
        raise errors.ReturnExists() from exc


def ensure_editable(row: TaxReturn) -> None:
    if row.status == "lodged":
        raise errors.ReturnLodged(
            f"Return version {row.version} was lodged on {row.lodged_on} and cannot be "
            f"changed; POST /api/v1/tax/returns/{row.id}/amend to make an amended version."
        )


def replace_data(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, data: ReturnData
) -> TaxReturn:
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    check_dates(row.year, data, "")
    before = snapshot(row)
    doc = data.model_dump(mode="json")
    keep_honest_provenance(json.loads(row.data), doc)
    row.data = json.dumps(doc)
    row.status, row.assessment, row.calculated_at = "draft", None, None
    session.flush()
    audit(session, ctx, "update", row, before, snapshot(row))
    return row


def stored_data(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> dict[str, Any]:
    """The stored document, for a merge patch; refused before patching when lodged."""
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    loaded: dict[str, Any] = json.loads(row.data)
    return loaded


def assessment_for_print(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> Assessment:
    """The stored assessment, else one calculated now and not stored (a read)."""
    row = get_return(session, ctx, return_id)
    return assessment_of(row) or calculate_assessment(row)


def estimate_return(year: str, data: ReturnData) -> Assessment:
    """The assessment of unsaved data (a page's running estimate): nothing is stored."""
    return assessment_for(year, data)


def calculate_return(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> Assessment:
    row = get_return(session, ctx, return_id)
    if row.status == "lodged":
        stored = assessment_of(row)
        if stored is None:
            raise errors.ReturnLodged()
        return stored
    assessment = calculate_assessment(row)
    row.assessment = assessment.model_dump_json()
    row.calculated_at = assessment.calculated_at
    session.flush()
    audit(
        session,
        ctx,
        "calculate",
        row,
        None,
        {"total_tax": assessment.total_tax, "refund_or_owed": assessment.refund_or_owed},
    )
    return assessment


def change_status(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, status: str
) -> TaxReturn:
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    before = snapshot(row)
    if status == "ready" and row.status != "ready":
        calculate_return(session, ctx, return_id)
    row.status = status
    session.flush()
    audit(session, ctx, "status", row, before, snapshot(row))
    return row


def lodge_return(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, body: Lodge
) -> TaxReturn:
    row = get_return(session, ctx, return_id)
    ensure_editable(row)
    if row.status != "ready":
        raise errors.ReturnStatusConflict(
            f"Only a ready return can be lodged; this one is {row.status}. "
            'POST .../status {"status": "ready"} first.'
        )
    today = tenancy_service.today(session, ctx.tenant_id)
    starts = YEARS[row.year].starts
    if not starts <= body.lodged_on <= today:
        raise InvalidInput(
            f"lodged_on must be between {starts} (start of {row.year}) and today ({today})",
            field="lodged_on",
        )
    before = snapshot(row)
    row.status, row.lodged_on, row.lodgement_reference = "lodged", body.lodged_on, body.reference
    row.lodged_at, row.lodged_by = utcnow(), ctx.user_id
    session.flush()
    audit(session, ctx, "lodge", row, before, snapshot(row))
    return row


def amend_return(session: Session, ctx: TenantContext, return_id: uuid.UUID) -> TaxReturn:
    row = get_return(session, ctx, return_id)
    repo = ReturnRepository(session, ctx.tenant_id)
    if row.status != "lodged":
        raise errors.ReturnStatusConflict(
            f"Only a lodged return is amended; this one is {row.status}: edit it instead."
        )
    if repo.next_of(row.id) is not None:
        raise errors.ReturnStatusConflict(
            "This version has been amended already: amend the latest."
        )
    amended = TaxReturn(
        tenant_id=ctx.tenant_id,
        person_name=row.person_name,
        person_key=row.person_key,
        person_user_id=row.person_user_id,
        year=row.year,
        version=repo.last_version(row.person_key, row.year) + 1,
        previous_id=row.id,
        status="draft",
        data=row.data,
    )
    _insert(session, repo, amended)
    audit(session, ctx, "amend", amended, None, {**snapshot(amended), "amends": str(row.id)})
    return amended


def delete_return(
    session: Session, ctx: TenantContext, return_id: uuid.UUID, retention_years: int
) -> None:
    row = get_return(session, ctx, return_id)
    if row.lodged_on is not None:
        ends = retention_ends(row.lodged_on, retention_years)
        today: date = tenancy_service.today(session, ctx.tenant_id)
        if today < ends:
            raise errors.RetentionRunning(
                f"Lodged returns are retained for {retention_years} years: this one, lodged "
                f"on {row.lodged_on}, can be deleted from {ends}."
            )
    before = snapshot(row)
    ReturnRepository(session, ctx.tenant_id).delete(row)
    session.flush()
    audit(session, ctx, "delete", row, before)
