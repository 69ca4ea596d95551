"""imports: the upload's parse kept for the commit job

The commit job read the uploaded file again (detect + parse of 100,000 CSV lines: ~0.9 s
of the job's Python) although the upload had just parsed and validated it with the same
mapping. `bank_import.parsed` keeps what that parse produced (the lines in minor units
with their fingerprints, the rows in error, the statement balances; zlib-compressed
JSON, see `imports/staged.py`), written with the preview by the upload and by every
mapping change, cleared with the file. The job uses it when its key (file digest,
mapping, currency, format version) matches, and parses the file again otherwise.

Downgrade drops the column (an `ALTER TABLE`, no table rebuild on SQLite either): the job
then reads the file again, as before.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 04:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("bank_import", sa.Column("parsed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN on SQLite too (3.35+): a batch rebuild of
    # `bank_import` would drop the old table, which cascades to its `import_line` rows.
    op.drop_column("bank_import", "parsed")
