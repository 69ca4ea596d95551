"""What the diagnostics pages show, built from the analysis JSON the service returns
(the same document the API answers and the exports take), so the page and the API can
never disagree. No rule is decided here: only grouping, ordering and wording."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fiscus.diagnostics.analysis.types import CATEGORIES
from fiscus.diagnostics.views_form import PageChoices
from fiscus.diagnostics.views_ratios import RatioView, dupont_views, ratio_views

SEVERITIES = ("critical", "high", "medium", "low", "info")
# The table shows this many accounts (an accountant's trial balance has tens to a few
# thousands); beyond it the page says so. Checks and ratios cover every account.
MAX_TABLE_ROWS = 2000

TIER_TEXT = {
    "low": "Few signs of risk: the usual procedures should do.",
    "moderate": "Some findings need a look before relying on the figures.",
    "high": "Several significant findings: plan extra procedures.",
    "critical": "Serious findings: do not rely on the figures until they are resolved.",
}
ROLE_LABELS = {
    "number": "Account number",
    "name": "Account name",
    "debit": "Debit",
    "credit": "Credit",
    "net": "Net balance",
    "indicator": "Dr/Cr indicator",
    "type": "Account type",
}
BASIS_TEXT = {
    "pre_tax_profit": "pre-tax profit",
    "revenue": "revenue",
    "total_assets": "total assets",
    "equity": "equity",
    "amount": "a fixed amount",
    "none": "no benchmark",
}


def money(raw: Any) -> str:
    """`1,234.56` from a decimal string; a dash for none."""
    if raw is None or raw == "":
        return "—"
    return f"{Decimal(str(raw)):,.2f}"


@dataclass(frozen=True, slots=True)
class SeverityGroup:
    severity: str
    findings: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class AccountRow:
    index: int
    key: str
    number: str
    name: str
    debit: str
    credit: str
    net: str
    category: str
    subtype: str
    confidence: int
    source: str
    lead_sheet: str
    contra: bool
    alternatives: list[str]
    override: str


def finding_groups(anomalies: list[dict[str, Any]]) -> list[SeverityGroup]:
    """Findings by severity, most severe first, material ones first within a group."""
    groups = []
    for severity in SEVERITIES:
        found = [
            {**a, "amount_text": money(a.get("amount"))}
            for a in anomalies
            if a.get("severity") == severity
        ]
        found.sort(key=lambda a: not a.get("material"))
        if found:
            groups.append(SeverityGroup(severity, found))
    return groups


def _key(account: dict[str, Any]) -> str:
    """What an override is keyed by: the account number, else the exact name."""
    return str(account.get("number") or account.get("name") or "")


def account_rows(accounts: list[dict[str, Any]], overrides: dict[str, str]) -> list[AccountRow]:
    rows = []
    for index, account in enumerate(accounts[:MAX_TABLE_ROWS]):
        c = account["classification"]
        key = _key(account)
        rows.append(
            AccountRow(
                index=index,
                key=key,
                number=account.get("number") or "",
                name=account.get("name") or "",
                debit=money(account.get("debit")),
                credit=money(account.get("credit")),
                net=money(account.get("net")),
                category=c["category"],
                subtype=c.get("subtype") or "",
                confidence=round(float(c.get("confidence") or 0) * 100),
                source=c.get("source") or "",
                lead_sheet=account.get("lead_sheet") or "",
                contra=bool(c.get("contra")),
                alternatives=[
                    f"{alt['category']} ({alt['subtype']})" for alt in c.get("alternatives") or []
                ],
                override=overrides.get(key, ""),
            )
        )
    return rows


def preview_of(inspected: dict[str, Any], sheet: str | None) -> list[list[str]]:
    """The first rows of `sheet` (or of the only one) from an inspection, for the mapping
    dialog to show what each column holds."""
    for info in inspected["sheets"]:
        if sheet is None or info["name"] == sheet:
            return [[str(cell) for cell in row] for row in info["preview"]]
    return []


def _column_labels(candidates: dict[str, Any], preview: list[list[str]]) -> list[tuple[int, str]]:
    """Each column as the dialog names it: its header if it has one, else "Column n",
    with the first values the file holds in it (so unnamed columns can be told apart)."""
    headers = list(candidates.get("headers") or [])
    width = max([len(headers), *(len(row) for row in preview)])
    labels = []
    for i in range(width):
        header = str(headers[i]) if i < len(headers) and headers[i] else f"Column {i + 1}"
        samples = [row[i] for row in preview if i < len(row) and row[i] and row[i] != header]
        sample = ", ".join(samples[:3])
        labels.append((i, f"{header}: {sample}" if sample else header))
    return labels


def mapping_dialog(
    detail: str,
    sheet: str | None,
    candidates: dict[str, Any],
    choices: PageChoices,
    preview: list[list[str]],
    roles: dict[str, str] = ROLE_LABELS,
) -> dict[str, Any]:
    """The mapping dialog: per role the file's columns; preselected is what the user
    chose last time, else a candidate that reached the confidence threshold (a weaker
    guess is only shown as a hint, never chosen for the user)."""
    threshold = float(candidates.get("threshold") or 0)
    fields = []
    for role, label in roles.items():
        best = (candidates.get("roles") or {}).get(role) or []
        chosen = choices.mapping.get(role)
        if chosen is None and best and float(best[0]["confidence"]) >= threshold:
            chosen = str(best[0]["column"])
        hints = [f"column {b['column'] + 1} ({b['confidence']:.0%})" for b in best]
        fields.append(
            {"role": role, "label": label, "chosen": chosen or "", "top": ", ".join(hints)}
        )
    header_line = choices.mapping.get("header_line") or candidates.get("header_line") or ""
    return {
        "detail": detail,
        "sheet": sheet,
        "headers": _column_labels(candidates, preview),
        "preview": preview,
        "roles": fields,
        "header_line": str(header_line),
    }


SOURCE_TEXT = {"client": "the client's settings", "practice": "the practice defaults"}


def _settings_note(sources: dict[str, Any]) -> str:
    """Which parts of the materiality came from the client or the practice (parts from
    this request or the defaults go unsaid)."""
    parts = [
        f"{part} from {SOURCE_TEXT[source]}"
        for part, source in sources.items()
        if source in SOURCE_TEXT
    ]
    return ("Taken: " + ", ".join(parts) + ".") if parts else ""


def materiality_view(
    materiality: dict[str, Any], sources: dict[str, Any] | None = None
) -> dict[str, Any]:
    percentage = materiality.get("percentage")
    return {
        "overall": money(materiality.get("overall")),
        "performance": money(materiality.get("performance")),
        "trivial": money(materiality.get("trivial")),
        "basis": BASIS_TEXT.get(str(materiality.get("basis")), str(materiality.get("basis"))),
        "benchmark_amount": money(materiality.get("benchmark_amount")),
        "percentage": f"{Decimal(str(percentage)) * 100:.2f} %" if percentage else "",
        "note": materiality.get("note") or "",
        "settings": _settings_note(sources or {}),
        "none": materiality.get("overall") is None,
    }


UPLOAD_RERUN = {"url": "/diagnostics/analyse", "encoding": "multipart/form-data"}


def result(
    body: dict[str, Any],
    choices: PageChoices,
    file_name: str,
    *,
    rerun: dict[str, str] = UPLOAD_RERUN,
) -> dict[str, Any]:
    """The context of the results block; `rerun` is where its overrides and
    materiality post (the upload again with its file, or the books' analysis)."""
    anomalies = body.get("anomalies") or []
    accounts = body.get("accounts") or []
    ratios = body.get("ratios") or {}
    ratio_list: list[RatioView] = ratio_views(ratios)
    return {
        "file_name": file_name,
        "body": body,
        "summary": {
            "balanced": body.get("balanced"),
            "total_debits": money(body.get("total_debits")),
            "total_credits": money(body.get("total_credits")),
            "difference": money(body.get("difference")),
            "row_count": body.get("row_count"),
            "excluded": len(body.get("excluded") or []),
            "sheets": [s.get("sheet") for s in body.get("sheets") or []],
            "format": str(body.get("file_format") or "").upper(),
        },
        "risk": {
            "score": body.get("risk_score"),
            "tier": body.get("risk_tier"),
            "text": TIER_TEXT.get(str(body.get("risk_tier")), ""),
            "material": sum(1 for a in anomalies if a.get("material")),
            "count": len(anomalies),
        },
        "groups": finding_groups(anomalies),
        "rows": account_rows(accounts, choices.overrides),
        "account_count": body.get("accounts_total", len(accounts)),
        "max_rows": MAX_TABLE_ROWS,
        "categories": CATEGORIES,
        "ratios": ratio_list,
        "dupont": dupont_views(ratios),
        "materiality": materiality_view(
            body.get("materiality") or {}, body.get("materiality_sources")
        ),
        "mapping_from_client": body.get("mapping_source") == "client",
        "benford": body.get("benford") or [],
        "choices": choices,
        "rerun": rerun,
    }
