"""What an input file is, read from its bytes; a name that disagrees is a note, not a refusal."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from recover.errors import InputFileError


class InputFormat(StrEnum):
    """The formats the tool reads; the value is Pillow's name for the format."""

    PDF = "PDF"
    PNG = "PNG"
    JPEG = "JPEG"
    TIFF = "TIFF"


_MAGIC = {
    b"\x89PNG": InputFormat.PNG,
    b"\xff\xd8\xff": InputFormat.JPEG,
    b"II*\x00": InputFormat.TIFF,
    b"MM\x00*": InputFormat.TIFF,
}
_SUFFIXES = {
    InputFormat.PDF: (".pdf",),
    InputFormat.PNG: (".png",),
    InputFormat.JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    InputFormat.TIFF: (".tif", ".tiff"),
}
_HEAD = 1024  # PDF readers accept junk before the header within the first KiB


def sniff_format(path: Path) -> InputFormat:
    """The file's format from its first bytes; refuses what is missing, empty or foreign."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD)
    except FileNotFoundError:
        raise InputFileError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "is a folder, not a file") from None
    except PermissionError:
        raise InputFileError(str(path), "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise InputFileError(str(path), "file is empty (0 bytes)")
    found = next((fmt for magic, fmt in _MAGIC.items() if head.startswith(magic)), None)
    if found is None and b"%PDF" in head:  # after the image magics: an image may carry the text
        found = InputFormat.PDF
    if found is None:
        raise InputFileError(str(path), "is not a PDF, PNG, JPEG or TIFF file (unrecognised content)")
    return found


def name_note(path: Path, found: InputFormat) -> str | None:
    """A note when the file's extension names another of the formats than its content holds
    (None when it agrees or names none of them): users' files are often misnamed and still
    readable, so the content decides."""
    suffix = path.suffix.lower()
    claimed = next((fmt for fmt, suffixes in _SUFFIXES.items() if suffix in suffixes), None)
    if claimed is None or claimed is found:
        return None
    return f"{path.name} is named {path.suffix} but contains {found.value} data; it was read as {found.value}"
