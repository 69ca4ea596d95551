"""Flux analysis: two analysed trial balances (current and prior period) compared per
account — change and %, new and removed accounts, sign flips, reclassifications, risk
against materiality and % thresholds, and reconciliation readiness with suggested
actions. Pure functions; see docs.md (Flux)."""

from fiscus.diagnostics.flux.report import FluxReport, compare
from fiscus.diagnostics.flux.thresholds import Thresholds, ThresholdsRequest, parse_thresholds

__all__ = ["FluxReport", "Thresholds", "ThresholdsRequest", "compare", "parse_thresholds"]
