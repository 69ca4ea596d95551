"""Reports: trial balance, statements, cash flow, spending, net worth, budget vs actual."""
