"""Pure tax calculations: no I/O, Decimal only."""
