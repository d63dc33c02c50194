"""Shared fixtures: paths to samples and evaluation data, and one OCR engine per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EVAL = ROOT.parent / "shared" / "evaldata"


@pytest.fixture(scope="session")
def reader():  # type: ignore[no-untyped-def]
    """The default OCR engine (loaded once: model start-up is the slow part)."""
    from recover.read.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine()


def need_eval() -> None:
    """Skip when ../shared/evaldata is not beside the checkout."""
    if not EVAL.is_dir():
        pytest.skip("../shared/evaldata not present")
