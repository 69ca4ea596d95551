"""Per-tenant ML categorisation: suggestions, review queue, feedback."""
