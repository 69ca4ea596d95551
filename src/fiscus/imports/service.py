"""Use cases of the imports domain: upload (checked, detected, parsed, previewed), change
the mapping, commit as a background job, undo, list, presets. See `docs.md`.

The uploaded bytes stay on the import row (tenant-scoped like every row) until the commit
has booked them, or until `RETENTION_DAYS` have passed for an import never committed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.core.ids import new_id
from fiscus.imports import commit, duplicates, presets, preview, reading, staged
from fiscus.imports.commit import ImportNotCommittable, RowsInError, UndecidedDuplicates
from fiscus.imports.gc_pause import gc_paused
from fiscus.imports.models import BankImport
from fiscus.imports.parsers import InvalidMapping, Mapping
from fiscus.imports.repository import ImportRepository
from fiscus.imports.schemas import (
    CommitAccepted,
    CommitRequest,
    ImportCounts,
    ImportPreview,
    ImportRead,
    ImportSummary,
    PresetRead,
    PresetRef,
)
from fiscus.jobs import service as jobs_service
from fiscus.jobs.models import Job
from fiscus.jobs.runner import Progress
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account
from fiscus.ledger.postings import BALANCE_SHEET

COMMIT_JOB = "imports.commit"
RETENTION_DAYS = 7
SYSTEM_ROLE = "system"

__all__ = ["ImportNotCommittable", "RowsInError", "UndecidedDuplicates"]


class ImportNotFound(NotFound):
    """The import does not exist."""

    code = "import_not_found"


class NotABankAccount(InvalidInput):
    """Bank files import into an asset or liability account (a bank, card or loan)."""

    code = "not_a_bank_account"


class ImportNotUndoable(Conflict):
    """Only a committed import can be undone."""

    code = "import_not_undoable"


class UploadExpired(Conflict):
    """The uploaded file of this import is no longer kept: upload it again."""

    code = "upload_expired"


def _bank_account(session: Session, ctx: TenantContext, account_id: uuid.UUID) -> Account:
    account = ledger_service.get_account(session, ctx, account_id)
    if account.type not in BALANCE_SHEET or account.type == "equity":
        raise NotABankAccount(field="account_id")
    return account


def parse_mapping(text: str | None) -> Mapping | None:
    """The `mapping` form field: a JSON object of overrides, or nothing."""
    if text is None or not text.strip():
        return None
    try:
        obj = json.loads(text)
    except ValueError:
        raise InvalidMapping("The mapping must be a JSON object.", field="mapping") from None
    return Mapping.from_json(obj)


def _merged(detected: Mapping, chosen: Mapping | None) -> Mapping:
    """The user's choices over the detected ones (None: keep what was detected)."""
    if chosen is None:
        return detected
    base, over = detected.to_json(), chosen.to_json()
    values = {k: (over[k] if over.get(k) is not None else v) for k, v in base.items()}
    values["invert_sign"] = bool(over.get("invert_sign"))
    return Mapping.from_json({k: v for k, v in values.items() if v is not None})


def _read(
    session: Session,
    ctx: TenantContext,
    bank_import: BankImport,
    data: bytes,
    chosen: Mapping | None,
    currency: str,
) -> reading.Reading:
    """Read the file with the chosen mapping, or the preset saved for its layout."""
    detection = reading.detect(data, bank_import.filename)
    bank_import.preset_id = None
    if chosen is None:
        fingerprint = reading.layout_fingerprint(detection, None)
        suggested = presets.suggest(session, ctx, bank_import.account_id, fingerprint)
        if suggested is not None:
            bank_import.preset_id, chosen = suggested[0].id, suggested[1]
    mapping = _merged(detection.mapping(), chosen)
    return reading.parse_with(data, bank_import.filename, detection, mapping, currency)


def _store_reading(
    session: Session, ctx: TenantContext, bank_import: BankImport, read: reading.Reading
) -> None:
    account = _bank_account(session, ctx, bank_import.account_id)
    candidates = duplicates.find(session, ctx, account.id, read.lines)
    built = preview.build(read, candidates, account.currency)
    bank_import.format = str(read.detection.format.value)
    bank_import.fingerprint = read.fingerprint
    bank_import.detection = json.dumps(read.detection.to_json())
    bank_import.mapping = json.dumps(read.mapping.to_json())
    bank_import.preview = built.model_dump_json()
    stored_key = staged.key(bank_import.content_sha256, read.mapping, account.currency)
    bank_import.parsed = staged.encode(staged.of_reading(read), stored_key)


def upload_import(
    session: Session,
    ctx: TenantContext,
    *,
    account_id: uuid.UUID,
    filename: str,
    content_type: str | None,
    data: bytes,
    mapping: Mapping | None,
) -> BankImport:
    """Check the file, detect and parse it, preview it against the books; nothing booked."""
    reading.check_upload(content_type, data)
    account = _bank_account(session, ctx, account_id)
    _purge_expired(session, ctx)
    bank_import = BankImport(
        id=new_id(),
        tenant_id=ctx.tenant_id,
        account_id=account.id,
        filename=(filename or "statement")[-255:],
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        content=data,
        content_sha256=hashlib.sha256(data).hexdigest(),
        status="draft",
        created_by=ctx.user_id,
    )
    with gc_paused():
        read = _read(session, ctx, bank_import, data, mapping, account.currency)
        _store_reading(session, ctx, bank_import, read)
    ImportRepository(session, ctx.tenant_id).add(bank_import)
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="import.upload",
        resource_type="bank_import",
        resource_id=bank_import.id,
        after={
            "account_id": str(account.id),
            "filename": bank_import.filename,
            "size": bank_import.size,
            "sha256": bank_import.content_sha256,
            "format": bank_import.format,
        },
    )
    return bank_import


def update_mapping(
    session: Session, ctx: TenantContext, import_id: uuid.UUID, mapping: Mapping
) -> BankImport:
    """Read the file again with `mapping` over the detection: a new preview."""
    bank_import = _draft(session, ctx, import_id)
    assert bank_import.content is not None
    account = _bank_account(session, ctx, bank_import.account_id)
    with gc_paused():
        read = _read(session, ctx, bank_import, bank_import.content, mapping, account.currency)
        _store_reading(session, ctx, bank_import, read)
    session.flush()
    return bank_import


def _draft(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> BankImport:
    bank_import = ImportRepository(session, ctx.tenant_id).get_for_update(import_id)
    if bank_import is None:
        raise ImportNotFound()
    if _status(session, ctx, bank_import) not in ("draft", "failed"):
        raise ImportNotCommittable()
    if bank_import.content is None:
        raise UploadExpired()
    return bank_import


def get_import(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> BankImport:
    bank_import = ImportRepository(session, ctx.tenant_id).get(import_id)
    if bank_import is None:
        raise ImportNotFound()
    return bank_import


def list_imports(
    session: Session,
    ctx: TenantContext,
    *,
    account_id: uuid.UUID | None,
    offset: int,
    limit: int,
) -> tuple[list[BankImport], int]:
    return ImportRepository(session, ctx.tenant_id).page(
        account_id=account_id, offset=offset, limit=limit
    )


def _status(session: Session, ctx: TenantContext, bank_import: BankImport) -> str:
    """`committing` whose job failed reads as `failed` (the job rolled everything back)."""
    if bank_import.status == "committing" and bank_import.job_id is not None:
        job = jobs_service.get_job(session, ctx, bank_import.job_id)
        if job.status == "failed":
            return "failed"
    return bank_import.status


def _counts(session: Session, ctx: TenantContext, bank_import: BankImport) -> ImportCounts:
    result = json.loads(bank_import.result) if bank_import.result else None
    if result is not None:
        return ImportCounts.model_validate(result["counts"])
    if bank_import.preview is None:
        return ImportCounts()
    shown = ImportPreview.model_validate_json(bank_import.preview)
    return ImportCounts(
        lines=shown.lines, duplicates=len(shown.duplicates), errors=shown.error_count
    )


def import_summary(session: Session, ctx: TenantContext, bank_import: BankImport) -> ImportSummary:
    return ImportSummary(
        id=bank_import.id,
        account_id=bank_import.account_id,
        filename=bank_import.filename,
        size=bank_import.size,
        status=_status(session, ctx, bank_import),
        format=bank_import.format,
        counts=_counts(session, ctx, bank_import),
        job_id=bank_import.job_id,
        created_at=bank_import.created_at,
        committed_at=bank_import.committed_at,
        undone_at=bank_import.undone_at,
    )


def import_read(session: Session, ctx: TenantContext, bank_import: BankImport) -> ImportRead:
    summary = import_summary(session, ctx, bank_import)
    preset = None
    if bank_import.preset_id is not None:
        found = presets.get(session, ctx, bank_import.preset_id)
        if found is not None:
            scope = "bank" if found.account_id is None else "account"
            preset = PresetRef(id=found.id, scope=scope)
    return ImportRead(
        **summary.model_dump(),
        content_type=bank_import.content_type,
        fingerprint=bank_import.fingerprint,
        detection=json.loads(bank_import.detection),
        mapping=json.loads(bank_import.mapping),
        preset=preset,
        preview=ImportPreview.model_validate_json(bank_import.preview)
        if bank_import.preview
        else None,
        result=json.loads(bank_import.result) if bank_import.result else None,
    )


def request_commit(
    session: Session, ctx: TenantContext, import_id: uuid.UUID, body: CommitRequest
) -> CommitAccepted:
    """Check the decisions against the preview, then queue the commit job."""
    bank_import = _draft(session, ctx, import_id)
    assert bank_import.preview is not None
    shown = ImportPreview.model_validate_json(bank_import.preview)
    _check_decisions(shown, body)
    if body.all_or_nothing and shown.error_count:
        lines = sorted({e.line_no for e in shown.errors})
        raise RowsInError(
            f"Rows in error (all or nothing asked): lines {commit.line_list(lines)}.",
            field="all_or_nothing",
        )
    payload: dict[str, Any] = {
        "import_id": str(bank_import.id),
        "decisions": {str(k): v for k, v in body.decisions.items()},
        "all_or_nothing": body.all_or_nothing,
    }
    job = jobs_service.enqueue(session, ctx, kind=COMMIT_JOB, payload=payload)
    bank_import.status, bank_import.job_id = "committing", job.id
    session.flush()
    return CommitAccepted(job_id=job.id, import_id=bank_import.id, status="committing")


def _check_decisions(shown: ImportPreview, body: CommitRequest) -> None:
    candidates = {d.line_no for d in shown.duplicates}
    strangers = sorted(set(body.decisions) - candidates)
    if strangers:
        raise InvalidInput(
            f"Decisions name lines that are not duplicate candidates: "
            f"{commit.line_list(strangers)}.",
            field="decisions",
        )
    undecided = sorted(
        d.line_no for d in shown.duplicates if d.kind == "fuzzy" and d.line_no not in body.decisions
    )
    if undecided:
        raise UndecidedDuplicates(
            f"Lines {commit.line_list(undecided)} may be duplicates of entries already in "
            "the books: decide each one (import or skip) in decisions.",
            field="decisions",
        )


def run_commit_job(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """The commit job's body: book the import once (a redelivered job finds it done)."""
    ctx = TenantContext(tenant_id=job.tenant_id, user_id=job.created_by, role=SYSTEM_ROLE)
    payload = json.loads(job.payload)
    repo = ImportRepository(session, ctx.tenant_id)
    bank_import = repo.get_for_update(uuid.UUID(payload["import_id"]))
    if bank_import is None or bank_import.status != "committing" or bank_import.job_id != job.id:
        done = bank_import.result if bank_import is not None else None
        return json.loads(done) if done else {"skipped": "not waiting for this job"}
    with gc_paused():
        result = commit.run(
            session,
            ctx,
            bank_import,
            decisions={int(k): v for k, v in payload["decisions"].items()},
            all_or_nothing=bool(payload["all_or_nothing"]),
            progress=progress,
        )
    bank_import.status, bank_import.committed_at = "committed", utcnow()
    bank_import.result, bank_import.content = json.dumps(result), None
    bank_import.parsed = None
    session.flush()
    progress(commit.STEPS, commit.STEPS)
    return {"import_id": str(bank_import.id), **result}


def undo_import(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> BankImport:
    bank_import = ImportRepository(session, ctx.tenant_id).get_for_update(import_id)
    if bank_import is None:
        raise ImportNotFound()
    if bank_import.status != "committed":
        raise ImportNotUndoable()
    with gc_paused():
        undone = commit.undo(session, ctx, bank_import)
    result = json.loads(bank_import.result or "{}")
    result["undo"] = undone
    bank_import.status, bank_import.undone_at = "undone", utcnow()
    bank_import.result = json.dumps(result)
    session.flush()
    return bank_import


def list_presets(
    session: Session, ctx: TenantContext, *, account_id: uuid.UUID | None
) -> list[PresetRead]:
    if account_id is not None:
        _bank_account(session, ctx, account_id)
    return presets.listed(session, ctx, account_id)


def _purge_expired(session: Session, ctx: TenantContext) -> None:
    """Forget the files of imports never committed within `RETENTION_DAYS`."""
    cutoff = utcnow() - timedelta(days=RETENTION_DAYS)
    ImportRepository(session, ctx.tenant_id).forget_files_before(cutoff)
