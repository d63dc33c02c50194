"""The optional PaddleOCR engine: local model folders only, clear errors otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recover.errors import RecoverError
from recover.read.ocr.paddle import check_model_dir


def test_missing_folder_and_missing_config_are_reported(tmp_path: Path) -> None:
    with pytest.raises(RecoverError, match="model folder not found"):
        check_model_dir(tmp_path / "nope")
    with pytest.raises(RecoverError, match=r"inference\.yml: missing"):
        check_model_dir(tmp_path)


def test_model_name_comes_from_the_exported_config(tmp_path: Path) -> None:
    (tmp_path / "inference.yml").write_text("Global:\n  model_name: PP-OCRv5_server_rec\n", encoding="utf-8")
    assert check_model_dir(tmp_path) == "PP-OCRv5_server_rec"


def test_engine_reads_a_line_when_paddleocr_and_a_model_are_present(tmp_path: Path) -> None:
    pytest.importorskip("paddleocr")
    import os

    model_dir = os.environ.get("RECOVER_PADDLE_REC_DIR")
    if not model_dir:
        pytest.skip("set RECOVER_PADDLE_REC_DIR to a local PaddleOCR rec model folder")
    from recover.read.ocr.paddle import PaddleOcrEngine

    engine = PaddleOcrEngine(Path(model_dir))
    reading = engine.recognize([np.full((48, 200, 3), 255, np.uint8)])
    assert len(reading) == 1
