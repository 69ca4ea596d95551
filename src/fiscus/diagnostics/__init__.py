"""Trial-balance diagnostics: zero-storage ingestion, classification, checks, ratios."""
