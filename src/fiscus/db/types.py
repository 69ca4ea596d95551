"""Column types shared by every domain."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

# Money is stored as integer minor units (cents) next to an ISO-4217 code.
MinorUnits = BigInteger


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactNumeric(TypeDecorator[Decimal]):
    """NUMERIC(p, s) that reads back the decimal that was written, on SQLite too.

    PostgreSQL keeps NUMERIC exactly. SQLite keeps it as an IEEE double, and SQLAlchemy's
    fixed-places conversion shows the binary noise (98765.4321 comes back as
    98765.432100000005). The shortest repr of the double is the decimal that was written
    whenever that had at most 15 significant digits, so that is what is read back.
    """

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        number = cast("Numeric[Any]", self.impl_instance)
        if dialect.name == "sqlite":
            floats = Numeric(number.precision, number.scale, asdecimal=False)
            return dialect.type_descriptor(floats)
        return dialect.type_descriptor(number)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            return Decimal(repr(value))
        return Decimal(value)
