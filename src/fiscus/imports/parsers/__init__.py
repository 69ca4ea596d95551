"""Bank-file parsing and detection: pure functions over bytes, no database.

`detect(data, filename)` guesses format, encoding, layout and column roles with confidences;
`parse(data, detection, mapping)` turns the file into a `ParsedStatement`. See
`fiscus/imports/docs.md`, "Parsing and detection".
"""

from fiscus.imports.parsers.base import (
    Choice,
    Detection,
    FileFormat,
    InvalidMapping,
    Mapping,
    ParsedStatement,
    Role,
    RowError,
    SignConvention,
    StatementBalance,
    StatementLine,
)
from fiscus.imports.parsers.detect import detect
from fiscus.imports.parsers.dispatch import parse

__all__ = [
    "Choice",
    "Detection",
    "FileFormat",
    "InvalidMapping",
    "Mapping",
    "ParsedStatement",
    "Role",
    "RowError",
    "SignConvention",
    "StatementBalance",
    "StatementLine",
    "detect",
    "parse",
]
