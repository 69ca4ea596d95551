"""Untrusted input: whatever the bytes, detection and parsing end in a result or a typed
domain error (which the web layer renders), never in an unhandled exception."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.core.errors import DomainError
from fiscus.imports.parsers import detect, parse
from tests.imports.parsers.helpers import FIXTURES


def detect_and_parse(data: bytes, name: str) -> None:
    with contextlib.suppress(DomainError):
        parse(data, detect(data, name))


FIXTURE_FILES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FIXTURE_FILES),
    cut=st.floats(0, 1),
    noise=st.binary(max_size=40),
    at=st.floats(0, 1),
)
def test_damaged_bank_files_fail_only_with_domain_errors(
    name: str, cut: float, noise: bytes, at: float
) -> None:
    """A real file truncated somewhere and with random bytes spliced in somewhere."""
    data = (FIXTURES / name).read_bytes()
    data = data[: max(1, int(len(data) * cut))] if cut < 0.97 else data
    where = int(len(data) * at)
    detect_and_parse(data[:where] + noise + data[where:], name)


@settings(max_examples=300)
@given(st.binary(max_size=600), st.sampled_from(["x.csv", "x.ofx", "x.qif", "x.xml", None]))
def test_random_bytes_fail_only_with_domain_errors(data: bytes, name: str | None) -> None:
    detect_and_parse(data, name or "upload")


@pytest.mark.parametrize(
    "data",
    [
        b"OFXHEADER:100\n<OFX>",
        b"!Type:Bank\n^\n",
        b":20:X\n:25:Y\n:28C:1\n",
        b"<Document><BkToCstmrStmt>",
        b'"unterminated,quote\n01/01/2025,1.00\n',
        b"PK\x03\x04garbage",
        b"\xff\xfe" + "Date\tAmount\n".encode("utf-16-le"),
    ],
)
def test_truncated_headers_of_every_format(data: bytes) -> None:
    detect_and_parse(data, "upload")
