"""Domain errors of the practice features (ingestion's own are in `ingest/errors.py`)."""

from __future__ import annotations

from fiscus.core.errors import Conflict, InvalidInput, NotFound


class ClientNotFound(NotFound):
    """The client does not exist."""

    code = "client_not_found"


class ClientNameTaken(Conflict):
    """The practice already has a client of that name."""

    code = "client_name_taken"


class LedgerEmpty(InvalidInput):
    """The books have no balances at that date: there is nothing to analyse."""

    code = "ledger_empty"
