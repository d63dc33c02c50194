"""Preparing a rendered digital page: upright and straight by construction, clean ink."""

from __future__ import annotations

import cv2
import numpy as np

from recover.prepare.ink import seal_free_gray
from recover.prepare.orientation import PreparedPage
from recover.prepare.text_blobs import estimate_char_height

# A rendered page has paper at 255 and ink well below; anti-aliased hairline rules still
# fall under this, light cell shading stays above it.
_INK_BELOW = 200


def prepare_digital_page(rgb: np.ndarray, dpi: int, char_h: int) -> PreparedPage:
    """Gray, mask and character height of a page rendered from a PDF's own vectors.

    No quarter turn or skew search (a rendered page is upright and straight) and no
    adaptive threshold (no uneven light); ``char_h`` comes from the text layer when known.
    """
    gray = seal_free_gray(rgb)
    _, mask = cv2.threshold(gray, _INK_BELOW, 255, cv2.THRESH_BINARY_INV)
    if char_h <= 0:
        char_h = estimate_char_height(mask, dpi)
    return PreparedPage(gray=gray, mask=mask, char_h=char_h, rotation=0, skew=0.0, dpi=dpi)
