"""Open an input file (PDF, PNG, JPEG, TIFF) and render its pages to RGB arrays.

The format is sniffed from the file's bytes and decides how the file is read; a name that
disagrees becomes a note. Sizes are checked from headers and page boxes before anything is
decoded. Opening reads only what tells whether the file is a document at all (a problem there
refuses the file); each page is decoded or rendered on its own by :meth:`SourceDocument.render`,
so a damaged page fails alone (:class:`recover.errors.PageError`).
"""

from __future__ import annotations

import hashlib
import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from recover.errors import InputFileError, PageError
from recover.ingest.formats import InputFormat, name_note, sniff_format
from recover.ingest.limits import FINEST_DPI, size_problem
from recover.ingest.text_layer import TextLayer, read_text_layer, text_layer_dpi

# What Pillow raises on damaged image data (its decoders and plugins use all of these; a TIFF
# frame without dimensions is a TypeError).
_DAMAGED_IMAGE = (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error, zlib.error)


@dataclass(frozen=True)
class PageImage:
    """One rendered page: RGB pixels and the resolution they were made at."""

    number: int  # 1-based
    rgb: np.ndarray
    dpi: int
    text_layer: TextLayer | None = None  # a PDF page's own characters, when asked for


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
        self.name_note = name_note(path, self.format)
        self._pdf: pdfium.PdfDocument | None = None
        if self.format is InputFormat.PDF:
            self._pdf = _open_pdf(path)
            self.page_count = len(self._pdf)
        else:
            self.page_count = _count_image_frames(path, self.format)
        if self.page_count == 0:
            self.close()
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
        """Render pages in order; ``only`` limits to these 1-based numbers. A damaged page
        raises :class:`PageError` (``render`` one page at a time to go on past it)."""
        for number in range(1, self.page_count + 1):
            if only is None or number in only:
                yield self.render(number)

    def render(self, number: int) -> PageImage:
        """Page ``number`` (1-based) as RGB; raises :class:`PageError` when it cannot be read."""
        if self._pdf is not None:
            return self._render_pdf_page(number)
        return self._decode_frame(number)

    def _decode_frame(self, number: int) -> PageImage:
        try:
            with _open_image(self.path, self.format) as img:
                img.seek(number - 1)
                problem = size_problem(*img.size, "scale it down")
                if problem is not None:
                    raise PageError(number, f"image {problem}")
                rgb = np.asarray(img.convert("RGB"))
                dpi = _frame_dpi(img, self.dpi)
        except Image.DecompressionBombError:
            raise PageError(number, "image has too many pixels to decode; scale it down") from None
        except _DAMAGED_IMAGE as exc:
            raise PageError(number, f"image data is damaged or truncated ({_reason(exc)})") from None
        return PageImage(number, rgb, dpi)

    def _render_pdf_page(self, number: int) -> PageImage:
        assert self._pdf is not None
        try:
            page = self._pdf[number - 1]
        except pdfium.PdfiumError as exc:
            raise PageError(number, f"cannot be loaded (damaged page object: {exc})") from None
        try:
            width_pt, height_pt = page.get_size()
            scale = self.dpi / 72.0
            problem = size_problem(width_pt * scale, height_pt * scale, "use a lower --dpi")
            if problem is not None:
                raise PageError(number, f"page box {width_pt:g}×{height_pt:g} pt at {self.dpi} dpi {problem}")
            dpi = self.dpi
            layer = read_text_layer(page, dpi) if self.read_text else None
            coarser = None if layer is None else text_layer_dpi(page, layer, dpi)
            if layer is not None and coarser is not None:
                # The characters already read, in the coarser render's pixels: no second read.
                dpi, layer = coarser, layer.rescaled(coarser / dpi)
            bitmap = page.render(scale=dpi / 72.0, may_draw_forms=True, rev_byteorder=True)
            rgb = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])  # RGB(x), off pdfium's buffer
        except pdfium.PdfiumError as exc:
            raise PageError(number, f"cannot be rendered (damaged page: {exc})") from None
        finally:
            page.close()
        return PageImage(number, rgb, dpi, layer)


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


def _open_image(path: Path, fmt: InputFormat) -> Image.Image:
    """Open with the sniffed format's reader only; Pillow's bomb warning (above its own limit,
    which is above ours) becomes an error, so no image we would refuse is half-opened."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(path, formats=[fmt.value])


def _count_image_frames(path: Path, fmt: InputFormat) -> int:
    # Image.open reads only the header, so a huge image is refused before decoding.
    try:
        with _open_image(path, fmt) as img:
            problem = size_problem(*img.size, "scale it down")
            if problem is not None:
                raise InputFileError(str(path), f"image {problem}")
            return _frame_count(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses before we can read the size ourselves; its message has the count.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many pixels"
        raise InputFileError(str(path), f"image is {size}; scale it down") from None
    except _DAMAGED_IMAGE as exc:
        raise InputFileError(
            str(path), f"is not a readable {fmt.value} image (damaged or truncated: {_reason(exc)})"
        ) from None


def _frame_count(img: Image.Image) -> int:
    """Frames of the image; when a later frame's header is damaged, the frames before it and
    the damaged one (which then fails as a page of its own)."""
    try:
        return int(getattr(img, "n_frames", 1))
    except _DAMAGED_IMAGE:
        count = 1
        while True:
            try:
                img.seek(count)
            except EOFError:
                return count
            except _DAMAGED_IMAGE:
                return count + 1
            count += 1


def _reason(exc: BaseException) -> str:
    """The library's own words, on one line."""
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


def _frame_dpi(frame: Image.Image, default: int) -> int:
    """The image's recorded resolution; a missing or impossible one (under 50, over four times
    the finest rendering, not a number) is no record, and the default applies."""
    dpi = frame.info.get("dpi")
    if isinstance(dpi, tuple) and dpi:
        try:
            value = float(dpi[0])
        except (TypeError, ValueError):
            return default
        if 50 <= value <= 4 * FINEST_DPI:
            return round(value)
    return default
