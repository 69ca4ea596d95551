"""Recurring series detection and cash-flow forecasts."""
