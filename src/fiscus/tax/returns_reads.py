"""Reads of tax returns: the API shape of a return, its assessment and the diff."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from fiscus.core.clock import utcnow
from fiscus.tax.labels import label_of
from fiscus.tax.models import TaxReturn
from fiscus.tax.returns_assess import assess
from fiscus.tax.returns_figures import changes
from fiscus.tax.returns_prefill import current_figure, label_for
from fiscus.tax.returns_schemas import (
    Assessment,
    Change,
    Diff,
    Lodgement,
    Person,
    ProposalRead,
    RefundChange,
    ReturnRead,
    ReturnSummary,
)
from fiscus.tax.returns_sections import ReturnData
from fiscus.tax.rules import YEARS
from fiscus.tax.service import money, to_response


def retention_ends(lodged_on: date, years: int) -> date:
    """`years` after lodgement; a 29 February lodgement ends on 28 February."""
    try:
        return lodged_on.replace(year=lodged_on.year + years)
    except ValueError:
        return lodged_on.replace(year=lodged_on.year + years, day=28)


def data_of(row: TaxReturn) -> ReturnData:
    return ReturnData.model_validate_json(row.data)


def calculate_assessment(row: TaxReturn) -> Assessment:
    return assessment_for(row.year, data_of(row))


def assessment_for(year: str, data: ReturnData) -> Assessment:
    """The assessment of a return document, stored nowhere (the pages' running estimate)."""
    result, other_offsets = assess(year, data)
    response = to_response(result)
    return Assessment(
        **response.model_dump(), other_offsets=money(other_offsets), calculated_at=utcnow()
    )


def assessment_of(row: TaxReturn) -> Assessment | None:
    if row.assessment is None:
        return None
    return Assessment.model_validate_json(row.assessment)


def _lodgement(row: TaxReturn, retention_years: int) -> Lodgement | None:
    if row.lodged_on is None or row.lodged_at is None or row.lodgement_reference is None:
        return None
    return Lodgement(
        lodged_on=row.lodged_on,
        reference=row.lodgement_reference,
        lodged_at=row.lodged_at,
        lodged_by=row.lodged_by,
        retention_ends=retention_ends(row.lodged_on, retention_years),
    )


def return_read(row: TaxReturn, next_id: object | None, retention_years: int) -> ReturnRead:
    return ReturnRead(
        id=row.id,
        person=Person(name=row.person_name, user_id=row.person_user_id),
        year=row.year,
        version=row.version,
        previous_id=row.previous_id,
        next_id=next_id,
        status=row.status,
        provisional=YEARS[row.year].provisional,
        data=data_of(row),
        assessment=assessment_of(row),
        lodgement=_lodgement(row, retention_years),
        proposals=proposal_reads(row, proposals_of(row)),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def proposals_of(row: TaxReturn) -> list[dict[str, Any]]:
    stored: list[dict[str, Any]] = json.loads(row.proposals or "[]")
    return stored


def proposal_reads(row: TaxReturn, proposals: list[dict[str, Any]]) -> list[ProposalRead]:
    doc = json.loads(row.data)
    reads = []
    for proposal in proposals:
        current = current_figure(doc, proposal["key"])
        code, name = label_for(proposal["key"])
        typed = current is not None and current["source"] == "user"
        reads.append(
            ProposalRead(
                **proposal,
                code=code,
                label=name,
                current=current,
                overwrites_user=bool(
                    typed
                    and current is not None
                    and Decimal(current["amount"])
                    and current["amount"] != proposal["amount"]
                ),
            )
        )
    return reads


def return_summary(row: TaxReturn) -> ReturnSummary:
    assessment = assessment_of(row)
    return ReturnSummary(
        id=row.id,
        person=Person(name=row.person_name, user_id=row.person_user_id),
        year=row.year,
        version=row.version,
        previous_id=row.previous_id,
        status=row.status,
        refund_or_owed=None if assessment is None else assessment.refund_or_owed,
        lodged_on=row.lodged_on,
        updated_at=row.updated_at,
    )


def refund_of(row: TaxReturn) -> Decimal:
    """The stored assessment's refund, else the return calculated now (not stored)."""
    assessment = assessment_of(row) or calculate_assessment(row)
    return Decimal(assessment.refund_or_owed)


def diff(row: TaxReturn, against: TaxReturn) -> Diff:
    found = []
    for path, before, after in changes(json.loads(against.data), json.loads(row.data)):
        label = label_of(path)
        found.append(
            Change(
                path=path,
                code=None if label is None else label.code,
                label=None if label is None else label.name,
                before=before,
                after=after,
            )
        )
    old, new = refund_of(against), refund_of(row)
    return Diff(
        id=row.id,
        version=row.version,
        against_id=against.id,
        against_version=against.version,
        changes=found,
        refund_or_owed=RefundChange(before=money(old), after=money(new), change=money(new - old)),
    )
