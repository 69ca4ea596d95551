"""Mapping presets: the mapping a committed import used, remembered twice — for its
account and file layout, and for the layout whatever the account (the bank's export) —
and suggested, account first, when a file of the same layout is uploaded again."""

from __future__ import annotations

import json
import uuid

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.imports.models import BankImport, ImportPreset
from fiscus.imports.parsers import Mapping
from fiscus.imports.repository import PresetRepository
from fiscus.imports.schemas import PresetRead


def _scope_key(account_id: uuid.UUID | None, fingerprint: str) -> str:
    return f"{account_id or '*'}:{fingerprint}"


def suggest(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, fingerprint: str
) -> tuple[ImportPreset, Mapping] | None:
    """The account's preset for this layout, else the bank's, with its mapping."""
    repo = PresetRepository(session, ctx.tenant_id)
    for scope in (account_id, None):
        preset = repo.by_scope(_scope_key(scope, fingerprint))
        if preset is not None:
            return preset, Mapping.from_json(json.loads(preset.mapping))
    return None


def remember(
    session: Session, ctx: TenantContext, bank_import: BankImport, mapping: Mapping
) -> None:
    repo = PresetRepository(session, ctx.tenant_id)
    text = json.dumps(mapping.to_json(), sort_keys=True)
    for scope in (bank_import.account_id, None):
        key = _scope_key(scope, bank_import.fingerprint)
        preset = repo.by_scope(key)
        if preset is None:
            repo.add(
                ImportPreset(
                    tenant_id=ctx.tenant_id,
                    account_id=scope,
                    fingerprint=bank_import.fingerprint,
                    scope_key=key,
                    format=bank_import.format,
                    mapping=text,
                    uses=1,
                )
            )
        else:
            preset.mapping, preset.uses = text, preset.uses + 1
    session.flush()


def preset_read(preset: ImportPreset) -> PresetRead:
    return PresetRead(
        id=preset.id,
        account_id=preset.account_id,
        scope="bank" if preset.account_id is None else "account",
        fingerprint=preset.fingerprint,
        format=preset.format,
        mapping=json.loads(preset.mapping),
        uses=preset.uses,
        updated_at=preset.updated_at,
    )


def get(session: Session, ctx: TenantContext, preset_id: uuid.UUID) -> ImportPreset | None:
    return PresetRepository(session, ctx.tenant_id).get(preset_id)


def listed(session: Session, ctx: TenantContext, account_id: uuid.UUID | None) -> list[PresetRead]:
    return [preset_read(p) for p in PresetRepository(session, ctx.tenant_id).listed(account_id)]
