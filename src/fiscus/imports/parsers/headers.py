"""Column roles from header names: English and the headers common banks actually use."""

from __future__ import annotations

import re

from fiscus.imports.parsers.base import Role

# Exact (normalised) header names per role. Order matters only within a role.
_EXACT: dict[Role, tuple[str, ...]] = {
    Role.DATE: (
        "date",
        "transaction date",
        "posting date",
        "posted date",
        "booking date",
        "book date",
        "trans date",
        "txn date",
        "date posted",
        "processed date",
        "effective date",
        "buchungstag",
        "buchungsdatum",
        "datum",
        "date operation",
        "date de l operation",
        "fecha",
        "fecha operacion",
        "data",
        "boekdatum",
        "transaktionsdatum",
    ),
    Role.AMOUNT: (
        "amount",
        "transaction amount",
        "amt",
        "value",
        "net amount",
        "betrag",
        "umsatz",
        "montant",
        "importe",
        "bedrag",
        "belopp",
        "kwota",
        "amount aud",
        "amount eur",
        "amount usd",
        "amount gbp",
        "amount nzd",
        "amount cad",
        "betrag eur",
        "montant eur",
    ),
    Role.DEBIT: (
        "debit",
        "debits",
        "debit amount",
        "withdrawal",
        "withdrawals",
        "money out",
        "paid out",
        "out",
        "outflow",
        "spent",
        "soll",
        "debet",
        "cargo",
        "debit eur",
        "withdrawal amount",
        "payments",
        "debit aud",
    ),
    Role.CREDIT: (
        "credit",
        "credits",
        "credit amount",
        "deposit",
        "deposits",
        "money in",
        "paid in",
        "in",
        "inflow",
        "received",
        "haben",
        "abono",
        "credit eur",
        "deposit amount",
        "credit aud",
    ),
    Role.INDICATOR: (
        "dr cr",
        "cr dr",
        "debit credit",
        "d c",
        "c d",
        "dc",
        "cd",
        "soll haben",
        "s h",
        "credit debit",
        "debit credit indicator",
        "sign",
        "af bij",
    ),
    Role.DESCRIPTION: (
        "description",
        "details",
        "narrative",
        "transaction details",
        "memo",
        "particulars",
        "transaction description",
        "narration",
        "remarks",
        "verwendungszweck",
        "buchungstext",
        "libelle",
        "libellé",
        "concepto",
        "omschrijving",
        "text",
        "transaction",
        "reference details",
        "notes",
        "mededelingen",
    ),
    Role.PAYEE: (
        "payee",
        "merchant",
        "merchant name",
        "name",
        "counterparty",
        "beneficiary",
        "payer",
        "other party",
        "auftraggeber empfänger",
        "empfänger",
        "beguenstigter",
        "begünstigter zahlungspflichtiger",
        "naam tegenrekening",
        "tiers",
        "counter party",
    ),
    Role.REFERENCE: (
        "reference",
        "ref",
        "transaction id",
        "transaction reference",
        "fitid",
        "id",
        "bank reference",
        "reference number",
        "receipt number",
        "transaction number",
        "referenz",
        "référence",
        "referencia",
        "kundenreferenz",
    ),
    Role.BALANCE: (
        "balance",
        "running balance",
        "saldo",
        "solde",
        "account balance",
        "balance aud",
        "balance eur",
        "kontostand",
        "ledger balance",
        "available balance",
    ),
    Role.CURRENCY: ("currency", "ccy", "währung", "waehrung", "devise", "moneda"),
}
# Words that, contained in a header, suggest a role less surely.
_CONTAINS: tuple[tuple[str, Role], ...] = (
    ("balance", Role.BALANCE),
    ("saldo", Role.BALANCE),
    ("debit", Role.DEBIT),
    ("withdraw", Role.DEBIT),
    ("credit", Role.CREDIT),
    ("deposit", Role.CREDIT),
    ("amount", Role.AMOUNT),
    ("betrag", Role.AMOUNT),
    ("date", Role.DATE),
    ("datum", Role.DATE),
    ("descr", Role.DESCRIPTION),
    ("detail", Role.DESCRIPTION),
    ("narrat", Role.DESCRIPTION),
    ("payee", Role.PAYEE),
    ("merchant", Role.PAYEE),
    ("ref", Role.REFERENCE),
    ("currency", Role.CURRENCY),
)
_LOOKUP = {name: role for role, names in _EXACT.items() for name in names}
# Value dates: a date column, but the booking date is the better one when both are there.
_VALUE_DATES = frozenset(
    {"value date", "valuta", "valutadatum", "wertstellung", "date de valeur", "fecha valor"}
)
_NON_WORD = re.compile(r"[^\w]+")
KNOWN_WORDS = frozenset(word for names in _EXACT.values() for n in names for word in n.split())


def normalise(header: str) -> str:
    return " ".join(_NON_WORD.sub(" ", header.lower().replace("_", " ")).split())


def role_of_header(header: str) -> tuple[Role, float] | None:
    """The role a header names, with a confidence; None when it names none we know."""
    name = normalise(header)
    if not name:
        return None
    if name in _VALUE_DATES:
        return Role.DATE, 0.5
    if name in _LOOKUP:
        return _LOOKUP[name], 0.95
    for word, role in _CONTAINS:
        if word in name:
            if role is Role.DATE and "value" in name:
                return role, 0.5  # a value date: the booking date is better if present
            return role, 0.75
    return None


def header_score(cells: list[str]) -> float:
    """How much a row looks like a header row: the share of its cells we recognise."""
    filled = [c for c in cells if c.strip()]
    if not filled:
        return 0.0
    known = sum(1 for c in filled if role_of_header(c) is not None)
    return known / len(filled)
