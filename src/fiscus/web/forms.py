"""Form plumbing: validate with the API's own schemas, and word errors per field.

Pages validate with the same Pydantic schemas as the JSON API, so a rule lives in one
place; this module only rewords Pydantic's messages for people and maps domain errors
to the field they name, so the form can be re-rendered with each message beside its
input.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from fiscus.core.errors import DomainError
from fiscus.web.errors import STATUS

Model = TypeVar("Model", bound=BaseModel)
FORM_LEVEL = "__form__"  # key of an error that belongs to no single field

_MESSAGES = {
    "missing": "is required",
    "string_too_short": "is required",
    "value_error": None,  # our validators already speak plainly: keep their message
    "literal_error": "must be one of the options shown",
}


class FormInvalid(Exception):
    """The submitted form has errors, keyed by field name, and the status to answer with."""

    def __init__(self, errors: dict[str, str], status: int = 422) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors
        self.status = status


def parse(model: type[Model], data: dict[str, Any]) -> Model:
    """`model` built from form data, or `FormInvalid` naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FormInvalid(field_errors(exc)) from exc


def field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or FORM_LEVEL
        errors.setdefault(field, _message(error["type"], error["msg"], error.get("ctx")))
    return errors


def _message(kind: str, message: str, ctx: dict[str, Any] | None) -> str:
    if kind == "string_too_short" and ctx and ctx.get("min_length", 1) > 1:
        return f"must be at least {ctx['min_length']} characters"
    if kind == "string_too_long" and ctx:
        return f"must be at most {ctx['max_length']} characters"
    if kind.startswith("value_error") and "email" in message.lower():
        return "is not a valid e-mail address"
    plain = _MESSAGES.get(kind)
    if plain:
        return plain
    return message.removeprefix("Value error, ")


@contextmanager
def domain_errors_as_form() -> Iterator[None]:
    """Re-raise a domain error as `FormInvalid`: beside its field if it names one, else at
    the top of the form, with the status `web.errors` gives that kind of error."""
    try:
        yield
    except DomainError as exc:
        raise FormInvalid({exc.field or FORM_LEVEL: exc.detail}, STATUS[exc.kind]) from exc
