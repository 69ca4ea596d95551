"""People: accounts, e-mail addresses and password hashes."""
