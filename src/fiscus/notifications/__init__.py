"""Notifications recorded for a tenant (budget alerts and the like)."""
