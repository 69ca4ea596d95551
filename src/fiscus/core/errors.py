"""Typed domain errors.

Every error carries a *kind* (what sort of failure, which the web layer maps to an HTTP
status) and a stable machine-readable *code*. The class docstring is the default message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorKind(StrEnum):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


class DomainError(Exception):
    """The request could not be completed."""

    kind: ClassVar[ErrorKind] = ErrorKind.INVALID
    code: ClassVar[str] = "domain_error"
    # True when the changes made before the error must be kept (e.g. revoking a token
    # family when a stolen refresh token is replayed): the unit of work commits, then raises.
    keeps_changes: ClassVar[bool] = False

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = detail or (type(self).__doc__ or "").strip()
        self.field = field
        super().__init__(self.detail)


class NotFound(DomainError):
    """The resource does not exist."""

    kind = ErrorKind.NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state of the resource."""

    kind = ErrorKind.CONFLICT
    code = "conflict"


class InvalidInput(DomainError):
    """The input is not valid."""

    kind = ErrorKind.INVALID
    code = "invalid_input"


class Unauthenticated(DomainError):
    """Authentication is required."""

    kind = ErrorKind.UNAUTHENTICATED
    code = "unauthenticated"


class Forbidden(DomainError):
    """Your role does not allow this action."""

    kind = ErrorKind.FORBIDDEN
    code = "forbidden"


class Unavailable(DomainError):
    """A service this request depends on is unavailable."""

    kind = ErrorKind.UNAVAILABLE
    code = "unavailable"
