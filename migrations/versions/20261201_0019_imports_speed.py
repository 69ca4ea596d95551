"""imports speed: a set-based balance check for bulk-inserted postings (PostgreSQL)

Until now every posting row queued the deferred `posting_balances` trigger, which at
COMMIT summed its entry's postings: 200,000 queries for a 100,000-line bank import
(~4 s of the commit on a quiet machine, 17 s at load 12). Now:

- `ledger_insert_postings(tenant, transaction_ids[], account_ids[], positions[],
  amounts[], currency, days[])` inserts the postings of whole entries in one statement
  and then checks, in one grouped query, that every entry it touched sums to zero in
  each currency (counting any postings the entries already had); an unbalanced entry
  raises `check_violation` at once and nothing is inserted. It is SECURITY DEFINER and
  refuses any tenant but the session's `app.tenant_id` (the row-level-security policy
  of `posting`, which the definer may not be subject to, says exactly that).
- `posting_balances` (deferred, per row) is queued only when the statement does not
  run as the migration's role (`WHEN (current_user <> owner)`): a posting written by
  the app role anywhere else — the single-entry forms, edits, deletes, a hand-written
  INSERT — is still checked at COMMIT as before; the only writes it no longer sees are
  the function's, which checked themselves, and the owner's own (who could drop the
  trigger anyway). When the app connects as the owner itself there is no such
  distinction to make: the trigger is left as it was and the function is not created
  (bulk booking then inserts postings directly, checked per row at commit).

SQLite has no balance trigger: nothing to do.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 18:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fiscus.db.migration_helpers import app_role

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SIGNATURE = "ledger_insert_postings(uuid, uuid[], uuid[], integer[], bigint[], text, date[])"
_FUNCTION = """
CREATE FUNCTION ledger_insert_postings(p_tenant uuid, p_transactions uuid[],
    p_accounts uuid[], p_positions integer[], p_amounts bigint[], p_currency text,
    p_days date[])
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    inserted integer;
    off record;
BEGIN
    IF p_tenant IS NULL OR NOT (p_tenant = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    THEN
        RAISE EXCEPTION 'postings may only be inserted for the current tenant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount,
                         currency, occurred_on)
    SELECT gen_random_uuid(), p_tenant, u.txn, u.account, u.pos, u.amount, p_currency, u.day
    FROM unnest(p_transactions, p_accounts, p_positions, p_amounts, p_days)
         AS u(txn, account, pos, amount, day);
    GET DIAGNOSTICS inserted = ROW_COUNT;
    SELECT p.transaction_id AS txn, p.currency, sum(p.amount) AS total INTO off
    FROM posting p
    WHERE p.tenant_id = p_tenant
      AND p.transaction_id = ANY (ARRAY(SELECT DISTINCT unnest(p_transactions)))
    GROUP BY p.transaction_id, p.currency HAVING sum(p.amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'transaction % does not balance in %: off by % minor units',
            off.txn, off.currency, off.total USING ERRCODE = 'check_violation';
    END IF;
    RETURN inserted;
END $$
"""
_TRIGGER = (
    "CREATE CONSTRAINT TRIGGER posting_balances AFTER INSERT OR UPDATE OR DELETE ON posting "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {when}EXECUTE FUNCTION posting_balances()"
)


def _owner() -> str:
    return str(op.get_bind().execute(sa.text("SELECT current_user")).scalar())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    owner = _owner()
    if owner == app_role():
        return
    op.execute(_FUNCTION)
    op.execute(f"REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC")
    op.execute(f'GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO "{app_role()}"')
    op.execute("DROP TRIGGER posting_balances ON posting")
    literal = owner.replace("'", "''")
    op.execute(_TRIGGER.format(when=f"WHEN (current_user <> '{literal}') "))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS posting_balances ON posting")
    op.execute(_TRIGGER.format(when=""))
    op.execute(f"DROP FUNCTION IF EXISTS {_SIGNATURE}")
