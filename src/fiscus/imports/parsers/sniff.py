"""Which format a file is in, from its first bytes (and, as a weak hint, its name)."""

from __future__ import annotations

import re

from fiscus.imports.parsers.base import Choice, FileFormat

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_MT940_TAGS = re.compile(r":(20|25|28C?|60[FM]|61|62[FM]):")


def _head_text(data: bytes) -> str:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:200].count(b"\x00") > 20:  # UTF-16 without a BOM
        little = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        return head.decode("utf-16-le" if little else "utf-16-be", errors="ignore")
    return head.decode("latin-1").removeprefix("\xef\xbb\xbf")


def sniff_format(data: bytes, filename: str | None) -> Choice[FileFormat]:
    """The format, confident when the content says so, less so when only the name does."""
    name = (filename or "").lower()
    if data.startswith(_ZIP_MAGIC):
        return Choice(FileFormat.XLSX, 0.95 if name.endswith((".xlsx", ".xlsm")) else 0.8)
    if data.startswith(_OLE_MAGIC):
        return Choice(FileFormat.XLSX, 0.3, note="legacy .xls: save it as .xlsx or CSV")
    text = _head_text(data).lstrip()
    upper = text[:2048].upper()
    if upper.startswith("OFXHEADER") or "<OFX>" in upper or "<?OFX" in upper:
        return Choice(FileFormat.OFX, 0.99)
    if text.startswith("<") and ("camt.053" in text or "BkToCstmrStmt" in text):
        return Choice(FileFormat.CAMT053, 0.99)
    if upper.startswith(("!TYPE:", "!ACCOUNT", "!OPTION", "!CLEAR:")):
        return Choice(FileFormat.QIF, 0.99)
    if len(set(_MT940_TAGS.findall(text))) >= 3:
        return Choice(FileFormat.MT940, 0.95)
    by_name = {
        ".ofx": FileFormat.OFX,
        ".qfx": FileFormat.OFX,
        ".qif": FileFormat.QIF,
        ".sta": FileFormat.MT940,
        ".940": FileFormat.MT940,
        ".mt940": FileFormat.MT940,
    }
    for suffix, fmt in by_name.items():
        if name.endswith(suffix):
            return Choice(fmt, 0.4, note="recognised by the file name only")
    return Choice(FileFormat.CSV, 0.9 if name.endswith((".csv", ".tsv", ".txt")) else 0.7)
