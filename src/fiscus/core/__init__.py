"""Pure-Python foundations shared by every domain: errors, ids, clock, request context."""
