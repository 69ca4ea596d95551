"""What every export derives from the posted analysis, computed once in `Decimal`:
findings in memo order, the findings that name each account, category totals, ratios
as a flat list, and the lead schedules with the prior period and their high-risk
accounts (which get a roll-forward)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from fiscus.diagnostics.exports.labels import LEAD_SHEETS, SEVERITIES
from fiscus.diagnostics.exports.request import AccountIn, AnalysisIn, FindingIn, RatioIn

ZERO = Decimal(0)
FOUR = Decimal("0.0001")
BALANCE_SHEET = frozenset(("asset", "liability", "equity", "unknown"))
# A roll-forward tab each, at most: beyond it the index says which were left out.
MAX_ROLL_FORWARDS = 50


def findings_in_order(analysis: AnalysisIn) -> list[FindingIn]:
    """Most severe first; within a severity the material ones first; otherwise as found."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(analysis.anomalies, key=lambda f: (rank[f.severity], not f.material))


def findings_by_account(analysis: AnalysisIn) -> dict[int, list[FindingIn]]:
    """Account index -> the findings naming it (a finding carries the account's line
    number and label; both must match, since a consolidated workbook repeats line numbers
    across its sheets)."""
    by_line: dict[tuple[int, str], list[int]] = defaultdict(list)
    for index, account in enumerate(analysis.accounts):
        if account.line_no is not None:
            by_line[(account.line_no, account.label)].append(index)
    out: dict[int, list[FindingIn]] = defaultdict(list)
    for finding in analysis.anomalies:
        if finding.line_no is None or finding.account is None:
            continue
        for index in by_line.get((finding.line_no, finding.account), ()):
            out[index].append(finding)
    return out


def category_totals(analysis: AnalysisIn) -> dict[str, Decimal]:
    """Signed nets (debit positive) by category, and the current-year result (revenue
    less expenses, positive for a profit)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account in analysis.accounts:
        totals[account.classification.category] += account.net
    totals["result"] = -(totals["revenue"] + totals["expense"])
    return totals


def flat_ratios(analysis: AnalysisIn) -> list[tuple[str, RatioIn]]:
    """The ratios with nested groups (DuPont) as `group.key`, in the analysis's order."""
    out: list[tuple[str, RatioIn]] = []
    for key, value in analysis.ratios.items():
        if isinstance(value, RatioIn):
            out.append((key, value))
        else:
            out.extend((f"{key}.{inner}", ratio) for inner, ratio in value.items())
    return out


def change_fraction(prior: Decimal | None, current: Decimal) -> Decimal | None:
    """(current - prior) / |prior| as a fraction rounded half-even to 4 places (as the
    analysis's ratios), or None when there is no prior figure to divide by."""
    if prior is None or prior == 0:
        return None
    return ((current - prior) / abs(prior)).quantize(FOUR, ROUND_HALF_EVEN)


@dataclass(slots=True)
class LeadLine:
    number: str | None
    name: str
    category: str
    subtype: str
    current: Decimal
    prior: Decimal | None  # None: no prior analysis was posted
    findings: list[FindingIn] = field(default_factory=list)
    status: str = ""  # "new" or "removed" against the prior period
    risk_reasons: list[str] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        return None if self.prior is None else self.current - self.prior

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}" if self.number else self.name


@dataclass(slots=True)
class LeadSchedules:
    lines: dict[str, list[LeadLine]]  # every letter of LEAD_SHEETS, in order
    has_prior: bool
    high_risk: list[tuple[str, LeadLine]]  # (letter, line), at most MAX_ROLL_FORWARDS
    high_risk_left_out: int

    def total(self, letter: str) -> tuple[Decimal, Decimal | None]:
        lines = self.lines[letter]
        current = sum((line.current for line in lines), ZERO)
        if not self.has_prior:
            return current, None
        return current, sum((line.prior or ZERO for line in lines), ZERO)


def _occurrences(accounts: list[AccountIn]) -> list[tuple[str, int]]:
    """Each account's (number, or name) and occurrence: duplicates match in file order."""
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for account in accounts:
        keys.append((account.key, seen[account.key]))
        seen[account.key] += 1
    return keys


def lead_schedules(current: AnalysisIn, prior: AnalysisIn | None) -> LeadSchedules:
    lines: dict[str, list[LeadLine]] = {letter: [] for letter in LEAD_SHEETS}
    linked = findings_by_account(current)
    before: dict[tuple[str, int], AccountIn] = {}
    if prior is not None:
        before = dict(zip(_occurrences(prior.accounts), prior.accounts, strict=True))
    keys = _occurrences(current.accounts)
    for index, (key, account) in enumerate(zip(keys, current.accounts, strict=True)):
        earlier = before.pop(key, None)
        c = account.classification
        line = LeadLine(account.number, account.name, c.category, c.subtype, account.net, None)
        if prior is not None:
            line.prior = earlier.net if earlier is not None else ZERO
            line.status = "" if earlier is not None else "new"
        line.findings = linked.get(index, [])
        lines[account.lead_sheet].append(line)
    for gone in before.values():  # in the prior period only
        c = gone.classification
        removed = LeadLine(gone.number, gone.name, c.category, c.subtype, ZERO, gone.net)
        removed.status = "removed"
        lines[gone.lead_sheet].append(removed)
    high_risk = _high_risk(lines, current.materiality.overall)
    return LeadSchedules(
        lines,
        prior is not None,
        high_risk[:MAX_ROLL_FORWARDS],
        max(0, len(high_risk) - MAX_ROLL_FORWARDS),
    )


def _high_risk(
    lines: dict[str, list[LeadLine]], overall: Decimal | None
) -> list[tuple[str, LeadLine]]:
    """Balance-sheet accounts (a roll-forward explains a balance, not a period's flow)
    named by a critical or high finding or a material medium one, or that moved by at
    least overall materiality since the prior period. Most reasons, then largest first."""
    out: list[tuple[str, LeadLine]] = []
    for letter, schedule in lines.items():
        for line in schedule:
            if line.category not in BALANCE_SHEET:
                continue
            reasons = [
                f"{f.severity} finding: {f.code}"
                for f in line.findings
                if f.severity in ("critical", "high") or (f.severity == "medium" and f.material)
            ]
            change = line.change
            if overall is not None and change is not None and abs(change) >= overall:
                reasons.append(f"moved {change:,.2f}, at least overall materiality {overall:,.2f}")
            if reasons:
                line.risk_reasons = reasons
                out.append((letter, line))
    out.sort(key=lambda item: (-len(item[1].risk_reasons), -abs(item[1].current)))
    return out
