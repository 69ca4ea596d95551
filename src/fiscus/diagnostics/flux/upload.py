"""The flux upload: two trial-balance files (`current`, `prior`) and small text fields,
read from the request stream into memory and nowhere else.

The zero-storage reader of `ingest.upload` (python-multipart's streaming parser,
callbacks appending to in-memory buffers, never Starlette's `UploadFile`, which spools
a part above 1 MB to disk), with two named file parts. Each file is
capped at `limits.max_bytes` while it arrives; a file part under any other name is
refused as soon as its headers are read, before its bytes are buffered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import Limits
from fiscus.diagnostics.ingest.upload import File, Form, FormShape, boundary_of, read_form

__all__ = ["FILES", "File", "FilesUpload", "read_files"]

FILES = ("current", "prior")
FilesUpload = Form


def _expected() -> str:
    return " and ".join(repr(name) for name in FILES)


_SHAPE = FormShape(
    files=FILES,
    duplicate=lambda name: f"Send one {name!r} file.",
    stray_file=lambda name: (
        f"Unknown file field {name!r}: a flux analysis takes the files {_expected()}."
    ),
)


def _check_files(upload: Form) -> None:
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
) -> Form:
    """Both files and the text fields, in memory; refused (413) up front when the
    declared length is over the cap, else as soon as too much has arrived."""
    try:
        boundary = boundary_of(content_type)
    except MalformedRequest as exc:
        raise MalformedRequest(
            f"Send the trial balances as multipart/form-data with the files {_expected()}.",
            field=FILES[0],
        ) from exc
    upload = await read_form(chunks, boundary, _SHAPE, limits, content_length=content_length)
    _check_files(upload)
    return upload
