"""Open an input file (PDF, PNG, JPEG, TIFF) and render its pages to RGB arrays.

The format is sniffed from the file's bytes, not its name, so a mislabelled file is
reported instead of half-read. Pages are rendered one at a time to keep memory flat.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageSequence

from recover.errors import InputFileError
from recover.ingest.text_layer import TextLayer, read_text_layer

MAX_PAGE_PIXELS = 150_000_000
"""Largest page image accepted (an A3 sheet at 600 dpi is ~70 megapixels)."""

_MAGIC = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
_SUFFIX_FORMAT = {
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
}


@dataclass(frozen=True)
class PageImage:
    """One rendered page: RGB pixels and the resolution they were made at."""

    number: int  # 1-based
    rgb: np.ndarray
    dpi: int
    text_layer: TextLayer | None = None  # a PDF page's own characters, when asked for


def sniff_format(path: Path) -> str:
    """Return 'pdf', 'png', 'jpeg' or 'tiff' from the file's first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise InputFileError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "is a folder, not a file") from None
    except PermissionError:
        raise InputFileError(str(path), "cannot be read (permission denied)") from None
    if not head:
        raise InputFileError(str(path), "file is empty (0 bytes)")
    # Some producers put junk before the PDF header; PDF readers accept it within 1 KiB.
    if b"%PDF" in head:
        found = "pdf"
    else:
        found = next((fmt for magic, fmt in _MAGIC.items() if head.startswith(magic)), "")
    if not found:
        raise InputFileError(str(path), "is not a PDF, PNG, JPEG or TIFF file (unrecognised content)")
    expected = _SUFFIX_FORMAT.get(path.suffix.lower())
    if expected is not None and expected != found:
        raise InputFileError(
            str(path),
            f"is named {path.suffix} but contains {found.upper()} data; rename it to match",
        )
    return found


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file, used to key outputs and review decisions."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SourceDocument:
    """A validated input file whose pages can be rendered one by one."""

    def __init__(self, path: Path, dpi: int = 200, read_text: bool = False) -> None:
        self.path = path
        self.dpi = dpi
        self.read_text = read_text
        self.format = sniff_format(path)
        self._pdf: pdfium.PdfDocument | None = None
        self._image_count = 0
        if self.format == "pdf":
            self._pdf = _open_pdf(path)
            self.page_count = len(self._pdf)
        else:
            self.page_count = _count_image_frames(path)
        if self.page_count == 0:
            raise InputFileError(str(path), "has no pages")

    def close(self) -> None:
        """Release the PDF handle."""
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def __enter__(self) -> SourceDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pages(self, only: set[int] | None = None) -> Iterator[PageImage]:
        """Render pages in order; ``only`` limits to these 1-based numbers."""
        if self._pdf is not None:
            for index in range(self.page_count):
                if only is None or index + 1 in only:
                    yield self._render_pdf_page(index)
            return
        with Image.open(self.path) as img:
            for index, frame in enumerate(ImageSequence.Iterator(img)):
                if only is None or index + 1 in only:
                    yield PageImage(index + 1, _frame_to_rgb(frame), _frame_dpi(frame, self.dpi))

    def _render_pdf_page(self, index: int) -> PageImage:
        assert self._pdf is not None
        page = self._pdf[index]
        try:
            width_pt, height_pt = page.get_size()
            scale = self.dpi / 72.0
            pixels = width_pt * scale * height_pt * scale
            if pixels > MAX_PAGE_PIXELS:
                raise InputFileError(
                    str(self.path),
                    f"page {index + 1} would render to {pixels / 1e6:.0f} megapixels at "
                    f"{self.dpi} dpi (limit {MAX_PAGE_PIXELS / 1e6:.0f}); use a lower --dpi",
                )
            bitmap = page.render(scale=scale, may_draw_forms=True)
            rgb = bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy()  # BGR(x) → RGB
            layer = read_text_layer(page, self.dpi) if self.read_text else None
        finally:
            page.close()
        return PageImage(index + 1, rgb, self.dpi, layer)


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        # PDFium's error code is global and can be left over from an earlier file, so the
        # cause is read from the file itself.
        raise InputFileError(str(path), _pdf_load_problem(path.read_bytes())) from None


_ENCRYPT = re.compile(rb"/Encrypt\s")
_EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")


def _pdf_load_problem(data: bytes) -> str:
    """Why PDFium refused a file that starts like a PDF."""
    if _ENCRYPT.search(data):
        return "is encrypted (password-protected); decrypt it first, e.g. qpdf --decrypt"
    if _EMPTY_PAGE_TREE.search(data) and not _PAGE_OBJECT.search(data):
        return "has no pages"
    return "is not a readable PDF (damaged or truncated); re-download or re-export it"


def _count_image_frames(path: Path) -> int:
    # Image.open reads only the header, so a huge image is refused before decoding.
    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_PAGE_PIXELS:
                raise InputFileError(
                    str(path),
                    f"image is {width}×{height} px ({width * height / 1e6:.0f} megapixels, "
                    f"limit {MAX_PAGE_PIXELS / 1e6:.0f}); scale it down",
                )
            return int(getattr(img, "n_frames", 1))
    except Image.DecompressionBombError as exc:
        # Pillow refuses before we can read the size ourselves; its message has the count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many pixels"
        raise InputFileError(
            str(path), f"image is {size} (limit {MAX_PAGE_PIXELS / 1e6:.0f}); scale it down"
        ) from None
    except (OSError, SyntaxError):
        raise InputFileError(str(path), "is not a readable image (damaged or truncated)") from None


def _frame_to_rgb(frame: Image.Image) -> np.ndarray:
    try:
        return np.asarray(frame.convert("RGB"))
    except OSError:
        raise InputFileError(
            str(getattr(frame, "filename", "image")), "image data is damaged or truncated"
        ) from None


def _frame_dpi(frame: Image.Image, default: int) -> int:
    dpi = frame.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and float(dpi[0]) >= 50:
        return round(float(dpi[0]))
    return default
