"""`parse`: a bank file, read as its detection (overridden by a mapping) says."""

from __future__ import annotations

from fiscus.imports.parsers.base import Detection, FileFormat, Mapping, ParsedStatement
from fiscus.imports.parsers.limits import DEFAULT_LIMITS, Limits, check_size


def parse(
    data: bytes,
    detection: Detection,
    mapping: Mapping | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedStatement:
    """Every line of the file; malformed rows become `errors`, they never abort the parse."""
    check_size(data, limits)
    fmt = detection.format.value
    if fmt is FileFormat.OFX:
        from fiscus.imports.parsers.ofx import parse_ofx

        return parse_ofx(data, limits)
    if fmt is FileFormat.QIF:
        from fiscus.imports.parsers.qif import parse_qif

        return parse_qif(data, mapping, limits)
    if fmt is FileFormat.CAMT053:
        from fiscus.imports.parsers.camt import parse_camt

        return parse_camt(data, limits)
    if fmt is FileFormat.MT940:
        from fiscus.imports.parsers.mt940 import parse_mt940

        return parse_mt940(data, limits)
    from fiscus.imports.parsers.tabular_parse import parse_tabular

    return parse_tabular(data, detection, mapping or Mapping(), limits)
