"""Imports every domain's tables so that metadata (migrations, tests) sees them all."""

from fiscus.audit.models import AuditChainHead, AuditEvent
from fiscus.auth.models import AuthSession, RefreshToken
from fiscus.db.base import Base
from fiscus.diagnostics.models import DiagnosticsAnalysis, DiagnosticsClient, DiagnosticsSetting
from fiscus.goals.models import Goal
from fiscus.imports.models import BankImport, ImportLine, ImportPreset
from fiscus.insights.models import (
    InsightsClass,
    InsightsExample,
    InsightsFeature,
    InsightsPending,
    InsightsPendingBatch,
    InsightsSetting,
    InsightsSuggestion,
)
from fiscus.jobs.models import Job
from fiscus.ledger.models import (
    Account,
    BalanceAnchor,
    BalanceDay,
    BalanceMonth,
    ExchangeRate,
    Posting,
    Transaction,
)
from fiscus.ledger.models_counts import EntryDay
from fiscus.notifications.models import Notification
from fiscus.recurring.models import RecurringOccurrence, RecurringSeries
from fiscus.rules.models import Rule
from fiscus.tax.models import TaxReturn
from fiscus.tenancy.models import Membership, Tenant
from fiscus.users.models import User

__all__ = [
    "Account",
    "AuditChainHead",
    "AuditEvent",
    "AuthSession",
    "BalanceAnchor",
    "BalanceDay",
    "BalanceMonth",
    "BankImport",
    "Base",
    "DiagnosticsAnalysis",
    "DiagnosticsClient",
    "DiagnosticsSetting",
    "EntryDay",
    "ExchangeRate",
    "Goal",
    "ImportLine",
    "ImportPreset",
    "InsightsClass",
    "InsightsExample",
    "InsightsFeature",
    "InsightsPending",
    "InsightsPendingBatch",
    "InsightsSetting",
    "InsightsSuggestion",
    "Job",
    "Membership",
    "Notification",
    "Posting",
    "RecurringOccurrence",
    "RecurringSeries",
    "RefreshToken",
    "Rule",
    "TaxReturn",
    "Tenant",
    "Transaction",
    "User",
]

# Tables holding tenant data that PostgreSQL guards with FORCE ROW LEVEL SECURITY (the
# policies live in the migrations). `app_user`, `auth_session` and `refresh_token` belong
# to a person, not a tenant, and are reached only by the auth service.
RLS_TABLES = (
    "tenant",
    "membership",
    "audit_event",
    "audit_chain_head",
    "job",
    "account",
    "ledger_transaction",
    "posting",
    "balance_day",
    "balance_month",
    "ledger_entry_day",
    "exchange_rate",
    "balance_anchor",
    "goal",
    "notification",
    "recurring_series",
    "recurring_occurrence",
    "rule",
    "bank_import",
    "import_line",
    "import_preset",
    "insights_setting",
    "insights_class",
    "insights_feature",
    "insights_example",
    "insights_suggestion",
    "insights_pending",
    "insights_pending_batch",
    "diagnostics_client",
    "diagnostics_analysis",
    "diagnostics_setting",
    "tax_return",
)
