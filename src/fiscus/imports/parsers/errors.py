"""Typed errors of bank-file parsing. The web layer maps each kind to its status
(TOO_LARGE -> 413, UNSUPPORTED -> 415, INVALID -> 422); see `fiscus.web.errors`."""

from __future__ import annotations

from fiscus.core.errors import DomainError, ErrorKind, InvalidInput


class FileTooLarge(DomainError):
    """The file is larger than an import may be."""

    kind = ErrorKind.TOO_LARGE
    code = "file_too_large"


class TooManyRows(DomainError):
    """The file has more rows than an import may have."""

    kind = ErrorKind.TOO_LARGE
    code = "too_many_rows"


class TooManyColumns(DomainError):
    """The file has more columns than a bank statement plausibly has."""

    kind = ErrorKind.TOO_LARGE
    code = "too_many_columns"


class CellTooLong(DomainError):
    """A cell of the file is longer than any bank field plausibly is."""

    kind = ErrorKind.TOO_LARGE
    code = "cell_too_long"


class UnsafeArchive(DomainError):
    """The spreadsheet's compressed contents expand too far to be opened safely."""

    kind = ErrorKind.TOO_LARGE
    code = "unsafe_archive"


class UnsupportedFormat(DomainError):
    """The file is not in a bank-statement format Fiscus can read."""

    kind = ErrorKind.UNSUPPORTED
    code = "unsupported_format"


class MalformedFile(InvalidInput):
    """The file is damaged or not what its format says it is."""

    code = "malformed_file"
