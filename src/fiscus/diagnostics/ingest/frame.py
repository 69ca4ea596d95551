"""The columnar read: a delimited file or a workbook sheet as a polars frame of text.

`reading.read_text` splits a file into a Python list per line (the stdlib `csv`
module): exact, but ~2.3 s of CPU for a million lines. Here polars' CSV reader (Rust,
from the bytes in memory) gives the same cells column by column in ~0.1 s, and a
workbook sheet stays the frame calamine produced. Only the first lines become Python
lists, read by the stdlib `csv` module exactly as before, for the header and column
detection.

The frame is used only where it is known to give the same cells as the stdlib reader;
anything else returns None and the caller reads the file the exact way: a lone CR line
end, a cell with a line break or an ASCII separator control character (which Python's
`str.strip` strips and Rust's does not), a line longer than the first lines, odd
quoting that polars refuses, a file over a limit (the exact path names the line), a
line count that differs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import fastexcel
import polars as pl

from fiscus.diagnostics.ingest.limits import Limits
from fiscus.diagnostics.ingest.reading import decode, sniff_delimiter

HEAD_BYTES = 256 * 1024
HEAD_LINES = 2_500  # the header search, the detection sample and the decimal-comma sample
_CONTROLS = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")


@dataclass(frozen=True, slots=True)
class FrameSheet:
    """A sheet's cells as text columns `c0`, `c1`, …; "" for an empty or missing cell.
    `head` are the first lines as lists (the stdlib reader's cells), row i being source
    line i + 1 like `Sheet.rows`; `exact_width` says whether a line's length is known
    (a workbook's rows are all as wide as the sheet; a CSV line's trailing empty fields
    and missing ones are the same in a frame)."""

    name: str | None
    frame: pl.DataFrame
    head: list[list[str]]
    from_doubles: bool
    exact_width: bool

    @property
    def rows(self) -> list[list[str]]:
        """The first lines only: what column detection and a mapping look at."""
        return self.head

    @property
    def height(self) -> int:
        return self.frame.height


def _utf8(data: bytes) -> tuple[bytes, str] | None:
    text = decode(data)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], text
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return text.encode("utf-8"), text
    return data, text


def _head_rows(text: str, delimiter: str) -> list[list[str]]:
    cut = text[:HEAD_BYTES]
    if len(text) > HEAD_BYTES:
        cut = cut.rsplit("\n", 1)[0]
    reader = csv.reader(io.StringIO(cut, newline=""), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) >= HEAD_LINES:
            break
    return rows


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)


def read_text_frame(data: bytes, limits: Limits) -> FrameSheet | None:
    """The file as a frame, or None where the stdlib reader must decide (see above)."""
    # `in` is a memchr scan; a regex or count over 40 MB costs a tenth of a second each.
    if any(control in data for control in _CONTROLS):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    converted = _utf8(data)
    if converted is None:
        return None
    raw, text = converted
    delimiter = sniff_delimiter(text)
    head = _head_rows(text, delimiter)
    width = max((len(r) for r in head), default=0)
    if len(head) < HEAD_LINES and len(text) > HEAD_BYTES:
        return None  # long lines: the first lines would not cover the detection sample
    if not head or width == 0 or width > limits.max_columns:
        return None
    try:
        frame = pl.read_csv(
            raw,
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            schema={f"c{i}": pl.String for i in range(width)},
            missing_columns="insert",
            empty_string_is_null=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if frame.height != _lines(raw) or frame.height > limits.max_rows:
        return None
    longest = frame.select(pl.all().str.len_chars().max()).row(0)
    if max((v or 0 for v in longest), default=0) > limits.max_cell_chars:
        return None
    breaks = frame.select(pl.any_horizontal(pl.all().str.contains("[\r\n]")).any()).item()
    if breaks:
        return None
    return FrameSheet(None, frame, head, from_doubles=False, exact_width=False)


def workbook_frame(sheet: fastexcel.ExcelSheet, name: str) -> FrameSheet:
    """A loaded, checked calamine sheet as a frame (None cells made ""), its first
    lines as lists exactly as `read_workbook_sheet` builds them."""
    frame = sheet.to_polars()
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_columns(pl.all().cast(pl.String).fill_null(""))
    head = [list(row) for row in frame.head(HEAD_LINES).rows()]
    return FrameSheet(name, frame, head, from_doubles=True, exact_width=True)
