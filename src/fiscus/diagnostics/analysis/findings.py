"""Building findings: the material flag against overall materiality, account labels."""

from __future__ import annotations

from decimal import Decimal

from fiscus.diagnostics.analysis.types import AccountResult, Anomaly, Materiality, Severity


class Findings:
    """Collects anomalies; `material` is |amount| >= overall materiality (false when
    there is no materiality or no amount)."""

    def __init__(self, materiality: Materiality) -> None:
        self.overall = materiality.overall
        self.trivial = materiality.trivial
        self.items: list[Anomaly] = []

    def is_material(self, amount: Decimal | None) -> bool:
        return self.overall is not None and amount is not None and abs(amount) >= self.overall

    def add(
        self,
        code: str,
        severity: Severity,
        explanation: str,
        procedure: str,
        *,
        account: AccountResult | None = None,
        amount: Decimal | None = None,
        label: str | None = None,
    ) -> None:
        self.items.append(
            Anomaly(
                code=code,
                account=label if account is None else label_of(account),
                amount=amount,
                severity=severity,
                material=self.is_material(amount),
                explanation=explanation,
                procedure=procedure,
                line_no=None if account is None else account.line_no,
            )
        )


def label_of(a: AccountResult) -> str:
    return f"{a.number} {a.name}" if a.number else a.name
