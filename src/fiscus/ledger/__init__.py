"""The double-entry ledger: chart of accounts (and categories), transactions, balances."""
