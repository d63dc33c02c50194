"""Input validation: every bad file gets a one-line message naming it and the problem."""

from __future__ import annotations

from pathlib import Path

import bad_inputs
import numpy as np
import pytest
from conftest import SAMPLES
from PIL import Image

from recover.errors import InputFileError
from recover.ingest.source import SourceDocument

GOOD_PDF = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (bad_inputs.empty_file, "empty"),
        (lambda d: bad_inputs.truncated_pdf(d, GOOD_PDF), "damaged or truncated"),
        (lambda d: bad_inputs.encrypted_pdf(d, GOOD_PDF), "encrypted"),
        (bad_inputs.png_named_pdf, "contains PNG data"),
        (bad_inputs.zero_page_pdf, "no pages"),
        (bad_inputs.huge_png, "900 megapixels"),
        (lambda d: d / "missing.pdf", "not found"),
    ],
    ids=["empty", "truncated", "encrypted", "png-named-pdf", "zero-pages", "huge-image", "missing"],
)
def test_bad_input_is_refused_with_one_line(tmp_path: Path, build, problem: str) -> None:  # type: ignore[no-untyped-def]
    path = build(tmp_path)
    with pytest.raises(InputFileError) as info:
        SourceDocument(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert problem in message
    assert "\n" not in message


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
