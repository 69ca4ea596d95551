"""The tamper-evident audit trail: a per-tenant SHA-256 hash chain."""
