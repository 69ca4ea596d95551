"""Goals and budgets: spending limits, savings targets, debt payoff."""
