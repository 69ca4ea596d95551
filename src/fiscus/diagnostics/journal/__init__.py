"""Journal-entry testing of a general-ledger detail file (see diagnostics/docs.md,
"Journal-entry testing"): reading and column detection (`reading`, `columns`,
`building`, `dates`), entries (`lines`), the tests by family (`integrity`, `timing`,
`amounts`, `patterns`, `benford`), `holidays`, `scoring` and the `engine`. Pure Python:
no database, no framework, nothing written anywhere."""

from fiscus.diagnostics.journal.engine import run_tests
from fiscus.diagnostics.journal.options import JournalOptions, parse_options
from fiscus.diagnostics.journal.page import EntriesPage, parse_page
from fiscus.diagnostics.journal.reading import JournalMapping, Ledger, parse_mapping, read_ledger

__all__ = [
    "EntriesPage",
    "JournalMapping",
    "JournalOptions",
    "Ledger",
    "parse_mapping",
    "parse_options",
    "parse_page",
    "read_ledger",
    "run_tests",
]
