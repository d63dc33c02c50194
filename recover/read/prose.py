"""The running text of a page without tables (情况说明, 名词解释), line by line.

Read so that the amounts the text states can be checked against the tables. A page with a
trustworthy text layer gives its characters; a scan is split into text lines from its ink
and each line is recognised (the same recogniser as the cells, no detector).
"""

from __future__ import annotations

from recover.ingest.text_layer import TextLayer, lines_of
from recover.label.context_lines import context_line_boxes
from recover.model import PageGeometry, TextLine
from recover.prepare.orientation import PreparedPage
from recover.read.cell_lines import padded_crop
from recover.read.ocr.engine import LineRecognizer


def read_running_text(
    prepared: PreparedPage, geometry: PageGeometry, reader: LineRecognizer, layer: TextLayer | None
) -> list[TextLine]:
    """The page's text lines, top to bottom, with their recognition scores (1.0 from a text layer)."""
    if layer is not None:
        return [TextLine(line) for line in lines_of(layer.chars) if line.strip()]
    height, width = prepared.mask.shape[:2]
    boxes = context_line_boxes(prepared.mask, (0, 0, width, height), prepared.char_h)
    if not boxes:
        return []
    readings = reader.recognize([padded_crop(prepared.gray, box, geometry.crop_pad) for box in boxes])
    return [TextLine(r.text, float(r.score)) for r in readings if r.text.strip()]
