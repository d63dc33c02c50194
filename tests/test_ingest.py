"""Input validation: every bad file gets a one-line message naming it and the problem; a
damaged page fails alone; a misnamed file is read by what it is, with a note."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import bad_inputs
import numpy as np
import pytest
from conftest import SAMPLES
from fake_engines import BlankReader
from PIL import Image

from recover.errors import InputFileError, PageError
from recover.extract import extract_file
from recover.ingest.formats import InputFormat
from recover.ingest.limits import MAX_PAGE_PIXELS, MAX_SIDE_PX
from recover.ingest.source import SourceDocument
from recover.model import PageStatus
from recover.pipeline import ExtractOptions, iter_document

GOOD_PDF = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"
PILLOW_DEFAULT_LIMIT = 1024 * 1024 * 1024 // 4 // 3


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (bad_inputs.empty_file, "empty"),
        (lambda d: bad_inputs.truncated_pdf(d, GOOD_PDF), "damaged or truncated"),
        (lambda d: bad_inputs.encrypted_pdf(d, GOOD_PDF), "encrypted"),
        (bad_inputs.png_with_broken_header, "not a readable PNG image"),
        (bad_inputs.zero_page_pdf, "no pages"),
        (bad_inputs.huge_png, "900 megapixels"),
        (lambda d: d / "missing.pdf", "not found"),
        (lambda d: bad_inputs.misnamed(d, b"PK\x03\x04 a zip", "filing.pdf"), "not a PDF, PNG, JPEG or TIFF"),
    ],
    ids=[
        "empty",
        "truncated",
        "encrypted",
        "broken-png-header",
        "zero-pages",
        "huge-image",
        "missing",
        "foreign",
    ],
)
def test_bad_input_is_refused_with_one_line(tmp_path: Path, build, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = build(tmp_path)
    with pytest.raises(InputFileError) as info:
        SourceDocument(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert problem in message
    assert "\n" not in message


def _image_bytes(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (255, 255, 255)).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "found"),
    [
        (lambda: _image_bytes("JPEG"), "scan.png", InputFormat.JPEG),
        (lambda: _image_bytes("PNG"), "scan.pdf", InputFormat.PNG),
        (GOOD_PDF.read_bytes, "scan.jpg", InputFormat.PDF),
        (lambda: _image_bytes("TIFF"), "scan.jpeg", InputFormat.TIFF),
    ],
    ids=["jpeg-named-png", "png-named-pdf", "pdf-named-jpg", "tiff-named-jpeg"],
)
def test_misnamed_file_is_read_by_its_content(tmp_path: Path, content, name: str, found: InputFormat) -> None:  # type: ignore[no-untyped-def]
    path = bad_inputs.misnamed(tmp_path, content(), name)
    with SourceDocument(path, dpi=72) as doc:
        assert doc.format is found
        assert doc.name_note is not None and f"contains {found.value} data" in doc.name_note
        assert next(doc.pages()).rgb.shape[2] == 3


def test_misnamed_file_is_extracted_with_a_note_in_findings(tmp_path: Path) -> None:
    path = bad_inputs.misnamed(tmp_path, GOOD_PDF.read_bytes(), "filing.png")
    doc, summary = extract_file(path, tmp_path / "out", BlankReader(), ExtractOptions(dpi=72))
    note = "filing.png is named .png but contains PDF data; it was read as PDF"
    assert doc.notes == [note] and note in summary.notes
    assert [p.status for p in doc.pages] == [PageStatus.OK]
    with (tmp_path / "out" / "filing" / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {"kind": "note", "status": "", "page": "", "table": "", "where": "", "says": note} in rows


def test_a_correct_or_unknown_extension_gives_no_note(tmp_path: Path) -> None:
    for name in ("scan.PNG", "scan", "scan.download"):
        path = bad_inputs.misnamed(tmp_path, _image_bytes("PNG"), name)
        with SourceDocument(path) as doc:
            assert doc.name_note is None


def test_damaged_frame_fails_alone(tmp_path: Path) -> None:
    path = bad_inputs.tiff_with_damaged_frame(tmp_path, frame=2)
    pages = [p for p, _, _ in iter_document(path, BlankReader(), ExtractOptions())]
    assert [p.status for p in pages] == [PageStatus.NO_TABLES, PageStatus.FAILED, PageStatus.NO_TABLES]
    assert pages[1].errors == ["PageError: image has no area (0×80 px): its header or page box is damaged"]
    with SourceDocument(path) as doc, pytest.raises(PageError):
        doc.render(2)


def test_damaged_pixels_fail_the_page_not_the_file(tmp_path: Path) -> None:
    path = bad_inputs.png_with_damaged_pixels(tmp_path)
    with SourceDocument(path) as doc:
        assert doc.page_count == 1  # the header is sound
    doc_model, summary = extract_file(path, tmp_path / "out", BlankReader(), ExtractOptions())
    assert summary.failed_pages == 1 and doc_model.pages[0].errors[0].startswith("PageError: image data is")
    assert (tmp_path / "out" / path.stem / "result.json").is_file()


@pytest.mark.parametrize(
    ("box", "problem"),
    [
        ([0, 0, 14400, 14400], "page box 14400×14400 pt at 72 dpi is 14400×14400 px"),
        ([0, 0, 20000, 10], "longest side limit"),
    ],
    ids=["huge", "strip"],  # PDFium itself replaces an empty page box with US Letter
)
def test_absurd_pdf_page_fails_before_rendering(tmp_path: Path, box: list[float], problem: str) -> None:
    path = bad_inputs.pdf_with_page_box(tmp_path, GOOD_PDF, box, "odd_page.pdf")
    pages = [p for p, _, _ in iter_document(path, BlankReader(), ExtractOptions(dpi=72))]
    assert [p.status for p in pages] == [PageStatus.FAILED, PageStatus.OK]
    assert pages[0].errors[0].startswith("PageError: ") and problem in pages[0].errors[0], pages[0].errors


def test_pixel_limits_lie_below_pillows_untouched_limit(tmp_path: Path) -> None:
    assert Image.MAX_IMAGE_PIXELS == PILLOW_DEFAULT_LIMIT  # we never change Pillow's global
    assert MAX_PAGE_PIXELS <= PILLOW_DEFAULT_LIMIT and MAX_SIDE_PX * MAX_SIDE_PX > MAX_PAGE_PIXELS
    # Between our limit and Pillow's, and between Pillow's and twice it (where Pillow only warns).
    for side in (9000, 9600):
        path = tmp_path / f"big_{side}.png"
        path.write_bytes(bad_inputs._png(side, side))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no warning may escape either
            with pytest.raises(InputFileError, match="megapixels"):
                SourceDocument(path)
    assert Image.MAX_IMAGE_PIXELS == PILLOW_DEFAULT_LIMIT


def test_pdf_pages_render_at_requested_dpi() -> None:
    with SourceDocument(GOOD_PDF, dpi=100) as doc:
        assert doc.page_count == 1
        page = next(doc.pages())
    # The sample is 150 dpi; at 100 dpi each side shrinks by 2/3.
    with SourceDocument(GOOD_PDF, dpi=150) as doc:
        full = next(doc.pages())
    assert abs(page.rgb.shape[0] - full.rgb.shape[0] * 2 / 3) <= 2
    assert page.rgb.dtype == np.uint8 and page.rgb.shape[2] == 3


def test_multipage_tiff_and_jpeg(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (300, 200), (255, 255, 255)) for _ in range(3)]
    tiff = tmp_path / "scan.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(300, 300))
    with SourceDocument(tiff) as doc:
        pages = list(doc.pages())
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[0].dpi == 300
    jpeg = tmp_path / "scan.jpg"
    frames[0].save(jpeg, quality=90)
    with SourceDocument(jpeg, dpi=200) as doc:
        assert [p.dpi for p in doc.pages()] == [200]


def test_console_shows_the_note_and_each_failed_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from recover import cli

    monkeypatch.setattr(cli, "_make_reader", lambda engine, model_dir: BlankReader())
    misnamed = bad_inputs.misnamed(tmp_path, _image_bytes("JPEG"), "photo.png")
    damaged = bad_inputs.tiff_with_damaged_frame(tmp_path, frame=3)
    out = tmp_path / "out"
    # --jobs 1: the injected engine lives in this process (workers build their own).
    result = CliRunner().invoke(
        cli.app, ["extract", str(misnamed), str(damaged), "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 4, result.output
    lines = result.output.splitlines()
    assert "  note: photo.png is named .png but contains JPEG data; it was read as JPEG" in lines
    assert (
        f"error: {damaged}: page 3: PageError: image has no area (0×80 px): its header or page box is damaged"
        in lines
    )
    assert any(line.startswith(f"{damaged}: 3 pages, 1 FAILED") for line in lines)


def test_an_image_whose_metadata_mentions_pdf_is_still_an_image(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "scanned from %PDF-1.7 export")
    path = tmp_path / "scan.png"
    Image.new("RGB", (60, 40), (255, 255, 255)).save(path, pnginfo=info)
    with SourceDocument(path) as doc:
        assert doc.format is InputFormat.PNG and doc.name_note is None
