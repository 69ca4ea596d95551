"""The multipart upload, read from the request stream into memory and nowhere else.

Zero storage: Starlette's `UploadFile` spools a part larger than 1 MB to a temporary
file on disk, so these routes never use it (nor `Form`). The body is fed, chunk by chunk
as it arrives, to python-multipart's streaming `MultipartParser`, whose callbacks append
each part's bytes to an in-memory buffer; the byte cap is enforced while reading, so an
oversized upload is refused before it has all arrived.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from python_multipart.exceptions import ParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import Limits, file_too_large

# Form fields besides the file are small JSON documents or ids.
MAX_FIELD_BYTES = 256 * 1024


@dataclass(slots=True)
class Upload:
    """The file part (its name and bytes) and the text fields of the form."""

    file_name: str | None = None
    file_data: bytes = b""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class File:
    name: str | None  # the file name the client sent
    data: bytes


@dataclass(slots=True)
class Form:
    """Every file part by its field name, and the text fields."""

    files: dict[str, File] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FormShape:
    """Which parts are files, and what to say of a part the form does not take."""

    files: tuple[str, ...]
    duplicate: Callable[[str], str]  # the message for a file part sent twice
    stray_file: Callable[[str], str] | None = None  # a file under another name: refused


class _Collector:
    """The parser's callbacks: headers of the current part, then its data, kept only in
    memory; a file part is capped at `limits.max_bytes` while it arrives."""

    def __init__(self, shape: FormShape, limits: Limits) -> None:
        self.shape, self.limits = shape, limits
        self.form = Form()
        self.name: str | None = None
        self.file_name: str | None = None
        self.data = bytearray()
        self.header_name = bytearray()
        self.header_value = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": lambda d, s, e: self.header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self.on_header_end,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
        }

    def on_part_begin(self) -> None:
        self.name, self.file_name, self.data = None, None, bytearray()

    def on_header_end(self) -> None:
        if bytes(self.header_name).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self.header_value))
            name, file_name = options.get(b"name"), options.get(b"filename")
            self.name = name.decode("utf-8", "replace") if name is not None else None
            if file_name is not None:
                self.file_name = file_name.decode("utf-8", "replace")
                stray = self.shape.stray_file
                if stray is not None and self.name not in self.shape.files:
                    raise MalformedRequest(stray(str(self.name)), field=self.name)
        self.header_name.clear()
        self.header_value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.data.extend(data[start:end])
        if self.name in self.shape.files:
            if len(self.data) > self.limits.max_bytes:
                error = file_too_large(self.limits)
                error.field = self.name
                raise error
        elif len(self.data) > MAX_FIELD_BYTES:
            raise MalformedRequest(
                f"The form field {self.name!r} is larger than {MAX_FIELD_BYTES // 1024} kB.",
                field=self.name,
            )

    def on_part_end(self) -> None:
        name = self.name
        if name in self.shape.files:
            if name in self.form.files:
                raise MalformedRequest(self.shape.duplicate(name), field=name)
            self.form.files[name] = File(self.file_name, bytes(self.data))
        elif name:
            try:
                self.form.fields[name] = self.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedRequest(
                    f"The form field {name!r} is not UTF-8 text.", field=name
                ) from exc
        self.data = bytearray()


def boundary_of(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MalformedRequest(
            "Send the trial balance as multipart/form-data with a 'file' part.", field="file"
        )
    return boundary


async def read_form(
    chunks: AsyncIterator[bytes],
    boundary: bytes,
    shape: FormShape,
    limits: Limits,
    *,
    content_length: str | None = None,
) -> Form:
    """Parse the multipart body from `chunks` in memory; refuse it (413) up front when
    its declared length is over the cap, else as soon as more than the files' cap (plus
    room for the form's small fields) has arrived."""
    collector = _Collector(shape, limits)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    cap = len(shape.files) * limits.max_bytes + 64 * 1024 + MAX_FIELD_BYTES
    if content_length is not None and content_length.isdigit() and int(content_length) > cap:
        raise file_too_large(limits)
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > cap:
                raise file_too_large(limits)
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except ParseError as exc:  # a body that is not the multipart form it says it is
        raise MalformedRequest(
            "The request body is not a well-formed multipart/form-data form."
        ) from exc
    return collector.form


_ONE_FILE = FormShape(files=("file",), duplicate=lambda _name: "Send one file per analysis.")


async def read_upload(
    chunks: AsyncIterator[bytes],
    content_type: str | None,
    limits: Limits,
    *,
    content_length: str | None = None,
) -> Upload:
    """The form of one analysis: its `file` part and its text fields."""
    form = await read_form(
        chunks, boundary_of(content_type), _ONE_FILE, limits, content_length=content_length
    )
    file = form.files.get("file")
    if file is None:
        raise MalformedRequest("The upload has no 'file' part.", field="file")
    if not file.data:
        raise MalformedRequest("The uploaded file is empty.", field="file")
    return Upload(file_name=file.name, file_data=file.data, fields=form.fields)


def json_field(fields: Mapping[str, str], name: str) -> Any:
    """The form field `name` as JSON; None when it is missing or blank."""
    raw = fields.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"The form field {name!r} is not valid JSON.", field=name) from exc
