"""The trial-balance analysis engine: classification, checks, materiality, ratios,
Benford and risk for a `TrialBalance` (pure Python, no database; see docs.md)."""

from fiscus.diagnostics.analysis.engine import analyse, analyse_page
from fiscus.diagnostics.analysis.options import (
    AnalysisInputInvalid,
    parse_materiality,
    parse_overrides,
)
from fiscus.diagnostics.analysis.types import Analysis, ClassificationOverride, MaterialityRequest

__all__ = [
    "Analysis",
    "AnalysisInputInvalid",
    "ClassificationOverride",
    "MaterialityRequest",
    "analyse",
    "analyse_page",
    "parse_materiality",
    "parse_overrides",
]
