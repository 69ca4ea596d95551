"""The multipart upload, read from the request stream into memory and nowhere else.

Zero storage: Starlette's `UploadFile` spools a part larger than 1 MB to a temporary
file on disk, so these routes never use it (nor `Form`). The body is fed, chunk by chunk
as it arrives, to python-multipart's streaming `MultipartParser`, whose callbacks append
each part's bytes to an in-memory buffer; the byte cap is enforced while reading, so an
oversized upload is refused before it has all arrived.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

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


@dataclass(slots=True)
class _Part:
    name: str | None = None
    file_name: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _Collector:
    """The parser's callbacks: headers of the current part, then its data."""

    def __init__(self) -> None:
        self.upload = Upload()
        self.part = _Part()
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.saw_file = False

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
        self.part = _Part()

    def on_header_end(self) -> None:
        if bytes(self.header_name).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self.header_value))
            name = options.get(b"name")
            self.part.name = name.decode("utf-8", "replace") if name is not None else None
            file_name = options.get(b"filename")
            if file_name is not None:
                self.part.file_name = file_name.decode("utf-8", "replace")
        self.header_name.clear()
        self.header_value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.part.data.extend(data[start:end])
        if self.part.name != "file" and len(self.part.data) > MAX_FIELD_BYTES:
            raise MalformedRequest(
                f"The form field {self.part.name!r} is larger than {MAX_FIELD_BYTES // 1024} kB.",
                field=self.part.name,
            )

    def on_part_end(self) -> None:
        part = self.part
        if part.name == "file":
            if self.saw_file:
                raise MalformedRequest("Send one file per analysis.", field="file")
            self.saw_file = True
            self.upload.file_name = part.file_name
            self.upload.file_data = bytes(part.data)
        elif part.name:
            try:
                self.upload.fields[part.name] = part.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedRequest(
                    f"The form field {part.name!r} is not UTF-8 text.", field=part.name
                ) from exc
        part.data = bytearray()


def boundary_of(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MalformedRequest(
            "Send the trial balance as multipart/form-data with a 'file' part.", field="file"
        )
    return boundary


async def read_upload(
    chunks: AsyncIterator[bytes],
    content_type: str | None,
    limits: Limits,
    *,
    content_length: str | None = None,
) -> Upload:
    """Parse the multipart body from `chunks` in memory; refuse it (413) up front when
    its declared length is over the cap, else as soon as more than `limits.max_bytes`
    (plus room for the form's small fields) has arrived."""
    collector = _Collector()
    parser = MultipartParser(boundary_of(content_type), collector.callbacks())  # type: ignore[arg-type]
    cap = limits.max_bytes + 64 * 1024 + MAX_FIELD_BYTES
    if content_length is not None and content_length.isdigit() and int(content_length) > cap:
        raise file_too_large(limits)
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > cap:
            raise file_too_large(limits)
        if chunk:
            parser.write(chunk)
    parser.finalize()
    if not collector.saw_file:
        raise MalformedRequest("The upload has no 'file' part.", field="file")
    if len(collector.upload.file_data) > limits.max_bytes:
        raise file_too_large(limits)
    if not collector.upload.file_data:
        raise MalformedRequest("The uploaded file is empty.", field="file")
    return collector.upload
