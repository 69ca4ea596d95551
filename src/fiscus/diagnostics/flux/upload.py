"""The flux upload: two trial-balance files (`current`, `prior`) and small text fields,
read from the request stream into memory and nowhere else.

The same zero-storage reading as `ingest.upload` (python-multipart's streaming parser,
callbacks appending to in-memory buffers, never Starlette's `UploadFile`, which spools
a part above 1 MB to disk), for a form with several named file parts. Each file is
capped at `limits.max_bytes` while it arrives; a file part under any other name is
refused as soon as its headers are read, before its bytes are buffered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import Limits, file_too_large
from fiscus.diagnostics.ingest.upload import MAX_FIELD_BYTES, boundary_of

FILES = ("current", "prior")


@dataclass(frozen=True, slots=True)
class File:
    name: str | None  # the file name the client sent
    data: bytes


@dataclass(slots=True)
class FilesUpload:
    files: dict[str, File] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


def _expected() -> str:
    return " and ".join(repr(name) for name in FILES)


class _Collector:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.upload = FilesUpload()
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
                if self.name not in FILES:
                    raise MalformedRequest(
                        f"Unknown file field {self.name!r}: a flux analysis takes the files "
                        f"{_expected()}.",
                        field=self.name,
                    )
        self.header_name.clear()
        self.header_value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.data.extend(data[start:end])
        if self.name in FILES:
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
        if name in FILES:
            if name in self.upload.files:
                raise MalformedRequest(f"Send one {name!r} file.", field=name)
            self.upload.files[name] = File(self.file_name, bytes(self.data))
        elif name:
            try:
                self.upload.fields[name] = self.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedRequest(
                    f"The form field {name!r} is not UTF-8 text.", field=name
                ) from exc
        self.data = bytearray()


def _check_files(upload: FilesUpload) -> None:
    for name in FILES:
        file = upload.files.get(name)
        if file is None:
            raise MalformedRequest(
                f"The upload has no {name!r} file: a flux analysis takes the files {_expected()}.",
                field=name,
            )
        if not file.data:
            raise MalformedRequest(f"The {name!r} file is empty.", field=name)


async def read_files(
    chunks: AsyncIterator[bytes],
    content_type: str | None,
    limits: Limits,
    *,
    content_length: str | None = None,
) -> FilesUpload:
    """Both files and the text fields, in memory; refused (413) up front when the
    declared length is over the cap, else as soon as too much has arrived."""
    try:
        boundary = boundary_of(content_type)
    except MalformedRequest as exc:
        raise MalformedRequest(
            f"Send the trial balances as multipart/form-data with the files {_expected()}.",
            field=FILES[0],
        ) from exc
    collector = _Collector(limits)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    cap = len(FILES) * limits.max_bytes + 64 * 1024 + MAX_FIELD_BYTES
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
    _check_files(upload := collector.upload)
    return upload
