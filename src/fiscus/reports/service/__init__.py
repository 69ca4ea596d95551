"""Report use cases: each builds one report from the balance snapshots (read-only)."""

from fiscus.reports.service.trial_balance import trial_balance

__all__ = ["trial_balance"]
