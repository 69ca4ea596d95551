"""`detect`: what a bank file is and how to read it, each choice with a confidence."""

from __future__ import annotations

from fiscus.imports.parsers.base import Detection, FileFormat
from fiscus.imports.parsers.errors import UnsupportedFormat
from fiscus.imports.parsers.limits import DEFAULT_LIMITS, Limits, check_size
from fiscus.imports.parsers.sniff import sniff_format


def detect(
    data: bytes, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Detection:
    """Guess format, encoding, layout and column roles. Reads only a sample of big files."""
    check_size(data, limits)
    if not data.strip():
        raise UnsupportedFormat("The file is empty.", field="file")
    fmt = sniff_format(data, filename)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(
            "Legacy .xls workbooks are not read: save the file as .xlsx or CSV.", field="file"
        )
    if fmt.value in (FileFormat.CSV, FileFormat.XLSX):
        from fiscus.imports.parsers.tabular_detect import detect_tabular

        return detect_tabular(data, fmt, limits)
    if fmt.value is FileFormat.QIF:
        from fiscus.imports.parsers.qif import detect_qif

        return detect_qif(data, fmt, limits)
    # OFX, CAMT.053 and MT940 say in the file what everything is: nothing to guess.
    return Detection(format=fmt)
