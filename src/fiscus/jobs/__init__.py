"""Background jobs: the `job` table is the source of truth; runners execute job bodies."""
