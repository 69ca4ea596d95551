"""The risk score: 0-100 from the findings.

Each finding adds its severity's weight (critical 30, high 15, medium 7, low 3, info 0),
times 1.5 when it is material; the sum is capped at 100 and rounded half up to a whole
number. Tiers: below 20 low, 20-49 moderate, 50-74 high, 75 and above critical.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from fiscus.diagnostics.analysis.types import Anomaly

WEIGHTS = {
    "critical": Decimal(30),
    "high": Decimal(15),
    "medium": Decimal(7),
    "low": Decimal(3),
    "info": Decimal(0),
}
MATERIAL_FACTOR = Decimal("1.5")
Tier = Literal["low", "moderate", "high", "critical"]


def score(anomalies: Sequence[Anomaly]) -> int:
    total = Decimal(0)
    for a in anomalies:
        weight = WEIGHTS[a.severity]
        total += weight * MATERIAL_FACTOR if a.material else weight
    return int(min(total, Decimal(100)).quantize(Decimal(1), ROUND_HALF_UP))


def tier(value: int) -> Tier:
    if value >= 75:
        return "critical"
    if value >= 50:
        return "high"
    if value >= 20:
        return "moderate"
    return "low"
