"""Categorisation rules and payee clean-up."""
