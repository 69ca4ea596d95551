"""Import tables (tenant data: row-level security on PostgreSQL, see migration 0011)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fiscus.db.base import Base, IdMixin, TimestampMixin

IMPORT_STATUSES = ("draft", "committing", "committed", "failed", "undone")
LINE_STATUSES = ("created", "duplicate", "skipped", "error", "undone")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class BankImport(IdMixin, TimestampMixin, Base):
    """One uploaded bank file on its way into one account: detection, mapping, outcome.

    `content` holds the uploaded bytes between upload and commit (cleared once committed,
    or by the clean-up after `FISCUS_IMPORT_RETENTION_DAYS`); the JSON columns are text.
    """

    __tablename__ = "bank_import"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The upload's parse for the commit job (`staged.py`), cleared with `content`; not
    # loaded with the row (deferred): only the commit job reads it.
    parsed: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    format: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))  # the bank's file layout
    detection: Mapped[str] = mapped_column(Text, default="{}")
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    preview: Mapped[str | None] = mapped_column(Text)  # ImportPreview as JSON
    preset_id: Mapped[uuid.UUID | None]  # the saved mapping applied at upload
    result: Mapped[str | None] = mapped_column(Text)  # counts, anchors, categorisation
    job_id: Mapped[uuid.UUID | None]
    created_by: Mapped[uuid.UUID | None]
    committed_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),  # the parent key of the lines' (tenant, import)
        Index("ix_bank_import_tenant_created", "tenant_id", "created_at"),
        Index("ix_bank_import_tenant_account", "tenant_id", "account_id"),
        CheckConstraint(_in("status", IMPORT_STATUSES), name="status"),
    )


class ImportLine(Base):
    """One line of a committed import: its bank reference or fingerprint (what makes a
    later import of the same line a duplicate) and the transaction it booked, if any.
    Its import is its own tenant's: the key is `(tenant_id, import_id)` (migration 0020)."""

    __tablename__ = "import_line"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    import_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[uuid.UUID]
    bank_ref: Mapped[str | None] = mapped_column(String(120))
    fingerprint: Mapped[str] = mapped_column(String(64))
    transaction_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(10))

    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "import_id"],
            ["bank_import.tenant_id", "bank_import.id"],
            ondelete="CASCADE",
        ),
        Index("ix_import_line_tenant_account_ref", "tenant_id", "account_id", "bank_ref"),
        Index("ix_import_line_tenant_account_print", "tenant_id", "account_id", "fingerprint"),
        CheckConstraint(_in("status", LINE_STATUSES), name="status"),
    )


class ImportPreset(IdMixin, TimestampMixin, Base):
    """A mapping that worked, remembered for one account and file layout (`account_id`
    set) or for the bank's layout whatever the account (`account_id` None)."""

    __tablename__ = "import_preset"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE")
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    scope_key: Mapped[str] = mapped_column(String(120))  # "<account id or *>:<fingerprint>"
    format: Mapped[str] = mapped_column(String(20))
    mapping: Mapped[str] = mapped_column(Text)
    uses: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("tenant_id", "scope_key"),
        Index("ix_import_preset_tenant_fingerprint", "tenant_id", "fingerprint"),
    )
