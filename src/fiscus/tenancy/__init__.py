"""Tenants, memberships and the role permission matrix."""
