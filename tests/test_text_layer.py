"""The text-layer path: digital pages read from their own characters, image cells by OCR."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from conftest import EVAL, need_eval

from benchmarks.mixed import cells_to_images
from benchmarks.score import gt_table_from_cnbudget, score_page
from recover.extract import extract_file
from recover.ingest.text_layer import TextChar, TextLayer, joined, lines_of
from recover.model import Page
from recover.pipeline import ExtractOptions, TextFrom

BUDGET = "上海市普陀区财政局2024年度部门决算"
PAGE = 8  # 收入决算表: 11 columns, merged 3-row header, 类/款/项 codes


def _gt() -> dict:  # type: ignore[type-arg]
    import json

    doc = json.loads((EVAL / "cn_budget" / "gt" / f"{BUDGET}.json").read_text(encoding="utf-8"))
    return next(p for p in doc["pages"] if p["page"] == PAGE)


def _extract(path: Path, reader, source: TextFrom = TextFrom.AUTO) -> Page:  # type: ignore[no-untyped-def]
    """The page after every stage (the checks run over the document)."""
    with tempfile.TemporaryDirectory() as out:
        doc, _ = extract_file(path, Path(out), reader, ExtractOptions(pages={PAGE}, source=source))
    return doc.pages[0]


def test_digital_page_is_read_exactly_from_its_text_layer(reader) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    page = _extract(EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf", reader)
    assert page.source == "text layer"
    tally = score_page([gt_table_from_cnbudget(t) for t in _gt()["tables"]], page.tables)
    assert tally.grid_exact == 1 and tally.cells_exact == tally.cells > 90
    filled = [c for c in page.tables[0].cells if c.text]
    assert all(c.confidence == 1.0 and c.provenance and c.provenance.source == "text layer" for c in filled)
    assert page.tables[0].checks is not None and page.tables[0].checks.found > 0


def test_cells_pasted_as_images_are_read_by_ocr_without_duplicates(reader, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    pdf = pdfium.PdfDocument(str(EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf"))
    cells = [c for c in _gt()["tables"][0]["cells"] if c["text"].strip() and c["r0"] >= 3]
    chosen = cells[::9]
    assert cells_to_images(pdf, PAGE - 1, [tuple(c["bbox_top_left_pt"]) for c in chosen]) == len(chosen)
    mixed = tmp_path / "mixed.pdf"
    pdf.save(str(mixed))
    pdf.close()
    page = _extract(mixed, reader)
    assert page.source == "text layer + ocr"
    table = page.tables[0]
    for gt in chosen:
        cell = table.cell_at(gt["r0"], gt["c0"])
        assert cell is not None and cell.provenance is not None
        assert cell.provenance.source == "ocr"  # no characters there: the image was read
        assert "".join(cell.text.split()) == "".join(gt["text"].split())
    tally = score_page([gt_table_from_cnbudget(t) for t in _gt()["tables"]], page.tables)
    assert tally.cells_exact == tally.cells


def test_source_ocr_ignores_the_text_layer(reader) -> None:  # type: ignore[no-untyped-def]
    need_eval()
    page = _extract(EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf", reader, source=TextFrom.OCR)
    assert page.source == "ocr"
    assert all(c.provenance is None or c.provenance.source == "ocr" for c in page.tables[0].cells)


def test_garbled_or_thin_layers_are_not_trusted() -> None:
    chars = [TextChar("预", (0, 0, 10, 10))] * 100
    assert TextLayer(chars, garbled=0).trustworthy
    assert not TextLayer(chars, garbled=20).trustworthy  # 17% unmapped glyphs
    assert not TextLayer(chars[:5], garbled=0).trustworthy  # a page number, not a table


def test_characters_form_lines_with_commas_and_wrapped_words() -> None:
    line1 = [TextChar(ch, (10 * i, 0, 10 * i + 9, 12)) for i, ch in enumerate("2,946.25")]
    line2 = [TextChar(ch, (10 * i, 16, 10 * i + 9, 28)) for i, ch in enumerate("收入")]
    assert lines_of(line2 + line1) == ["2,946.25", "收入"]


def test_a_text_layer_page_is_rendered_coarser_unless_it_draws_images(tmp_path: Path) -> None:
    """Only the rules come from the image of a text-layer page: it is rendered so its
    characters are LAYER_CHAR_PX tall; a page with an image keeps the asked resolution."""
    need_eval()
    from recover.ingest.source import SourceDocument
    from recover.ingest.text_layer import LAYER_CHAR_PX

    original = EVAL / "cn_budget" / "pdf" / f"{BUDGET}.pdf"
    digital = SourceDocument(original, 200, read_text=True).render(PAGE)
    assert digital.dpi < 200 and digital.text_layer is not None
    assert LAYER_CHAR_PX - 2 <= digital.text_layer.char_height() <= LAYER_CHAR_PX + 2
    assert SourceDocument(original, 200, read_text=False).render(PAGE).dpi == 200  # --source ocr
    pdf = pdfium.PdfDocument(str(original))
    cell = next(c for c in _gt()["tables"][0]["cells"] if c["text"].strip() and c["r0"] >= 3)
    assert cells_to_images(pdf, PAGE - 1, [tuple(cell["bbox_top_left_pt"])]) == 1
    pasted = tmp_path / "pasted.pdf"
    pdf.save(str(pasted))
    pdf.close()
    assert SourceDocument(pasted, 200, read_text=True).render(PAGE).dpi == 200


def test_has_images_sees_an_image_on_the_page_or_inside_a_form_object() -> None:
    """The raw walk answers as pypdfium2's object iterator does: no image, a page image, and an
    image drawn by a form object (a page placed as an XObject) all told apart."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from recover.ingest.text_layer import has_images

    def iterator_says(page: pdfium.PdfPage) -> bool:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))

    pdf = pdfium.PdfDocument.new()
    plain = pdf.new_page(200, 200)
    pictured = pdf.new_page(200, 200)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.new_native(8, 8, pdfium_c.FPDFBitmap_BGR))
    image.set_matrix(pdfium.PdfMatrix().scale(50, 50).translate(20, 20))
    pictured.insert_obj(image)
    pictured.gen_content()
    framed = pdf.new_page(200, 200)
    xobject = pdfium_c.FPDF_NewXObjectFromPage(pdf.raw, pdf.raw, 1)
    framed_form = pdfium_c.FPDF_NewFormObjectFromXObject(xobject)
    pdfium_c.FPDFPage_InsertObject(framed.raw, framed_form)
    framed.gen_content()
    assert [has_images(p) for p in (plain, pictured, framed)] == [False, True, True]
    assert [iterator_says(p) for p in (plain, pictured, framed)] == [False, True, True]
    pdfium_c.FPDF_CloseXObject(xobject)


def _lines_as_before(chars: list[TextChar]) -> list[str]:
    """lines_of as it was: each line's top and bottom taken from its characters anew."""
    lines: list[list[TextChar]] = []
    for ch in sorted(chars, key=lambda c: c.center[1]):
        for line in lines:
            if min(c.box[1] for c in line) <= ch.center[1] <= max(c.box[3] for c in line):
                line.append(ch)
                break
        else:
            lines.append([ch])
    return [joined(line) for line in lines]  # joining the characters did not change


def test_lines_of_keeps_each_line_span_as_characters_join() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        chars = []
        for k in range(int(rng.integers(1, 40))):
            x, y, h = int(rng.integers(0, 400)), int(rng.integers(0, 120)), int(rng.integers(4, 30))
            chars.append(TextChar(chr(0x4E00 + k), (x, y, x + int(rng.integers(2, 20)), y + h)))
        assert lines_of(chars) == _lines_as_before(chars)
