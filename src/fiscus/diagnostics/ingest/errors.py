"""Typed errors of trial-balance ingestion. The web layer maps each kind to its status
(TOO_LARGE -> 413, UNSUPPORTED -> 415, INVALID -> 422); see `fiscus.web.errors`.

A limit error names the limit (`limit`) and its value (`allowed`) so the answer can say
exactly which bound the file crossed."""

from __future__ import annotations

from typing import Any

from fiscus.core.errors import DomainError, ErrorKind


class LimitExceeded(DomainError):
    """The upload exceeds a limit of trial-balance analysis."""

    kind = ErrorKind.TOO_LARGE
    code = "limit_exceeded"

    def __init__(self, detail: str, *, limit: str, allowed: int | float) -> None:
        super().__init__(detail, field="file")
        self.limit = limit
        self.allowed = allowed


class FileTooLarge(LimitExceeded):
    """The upload is larger than an analysis may read."""

    code = "file_too_large"


class TooManyRows(LimitExceeded):
    """The sheet has more rows than an analysis may read."""

    code = "too_many_rows"


class TooManyColumns(LimitExceeded):
    """The sheet has more columns than a trial balance plausibly has."""

    code = "too_many_columns"


class CellTooLong(LimitExceeded):
    """A cell is longer than any trial-balance field plausibly is."""

    code = "cell_too_long"


class UnsafeArchive(LimitExceeded):
    """The workbook's compressed contents expand too far to be opened safely."""

    code = "unsafe_archive"


class UnsupportedFormat(DomainError):
    """The file is not a CSV, TSV, TXT, XLSX, XLS or ODS trial balance."""

    kind = ErrorKind.UNSUPPORTED
    code = "unsupported_format"


class MalformedFile(DomainError):
    """The file cannot be read as a trial balance."""

    code = "malformed_file"


class MalformedRequest(DomainError):
    """The request is not a valid multipart upload of a trial balance."""

    code = "malformed_request"


class MappingRequired(DomainError):
    """The columns of the trial balance cannot be identified with enough confidence;
    send a `mapping` naming them."""

    code = "mapping_required"

    def __init__(self, detail: str, *, sheet: str | None, candidates: dict[str, Any]) -> None:
        super().__init__(detail, field="mapping")
        self.sheet = sheet
        self.candidates = candidates


class AmountsMissing(DomainError):
    """No debit and credit amounts can be read from the trial balance."""

    code = "amounts_missing"


class UnknownSheet(DomainError):
    """A requested sheet is not in the workbook."""

    code = "unknown_sheet"
