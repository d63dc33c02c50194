"""Fault injection (in the style of OCRmyPDF's): engines that raise, answer junk or hang, a
full disk, and ``kill -9`` at random points of a batch — a bad engine fails pages, not the
batch; a full disk stops with one line and leaves no half-written file; a rerun after a
kill gives byte for byte what an uninterrupted run gives (timings aside)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from fake_engines import BlankReader, GarbageReader, HangingReader, MiscountingReader, RaisingReader
from typer.testing import CliRunner

from benchmarks.fuzz_inputs import make_seeds
from recover import cli
from recover.errors import RecoverError
from recover.review.queue import DB_NAME, ReviewQueue
from recover.time_limit import PageTimeout, time_limit

SIDEWAYS = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"


def _small_inputs(folder: Path) -> list[Path]:
    """A PNG, a JPEG and a 3-frame TIFF of a small ruled table, and its PDF with a text layer."""
    seeds = make_seeds()
    paths = []
    for name, data in [
        ("t.png", seeds.png),
        ("t2.jpg", seeds.jpeg),
        ("t3.tif", seeds.tiff),
        ("t4.pdf", seeds.pdf),
    ]:
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _extract(monkeypatch: pytest.MonkeyPatch, reader: object, args: list[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "_make_reader", lambda engine, model_dir: reader)
    # --jobs 1: the injected engine lives in this process (workers build their own).
    return CliRunner().invoke(cli.app, ["extract", *args, "--jobs", "1"])


def _result(out: Path, stem: str) -> dict:  # type: ignore[type-arg]
    def no_nan(name: str) -> None:
        raise AssertionError(f"result.json holds {name}, which is not JSON")

    return json.loads((out / stem / "result.json").read_text(encoding="utf-8"), parse_constant=no_nan)  # type: ignore[no-any-return]


def test_engine_that_raises_fails_each_page_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png, jpeg, *_ = _small_inputs(tmp_path)
    out = tmp_path / "out"
    result = _extract(monkeypatch, RaisingReader(), [str(png), str(jpeg), "-o", str(out)])
    assert result.exit_code == 4, result.output
    for path in (png, jpeg):
        pages = _result(out, path.stem)["pages"]
        assert [p["status"] for p in pages] == ["failed"]
        assert pages[0]["errors"] == ["RuntimeError: engine exploded (injected fault)"]
        line = f"error: {path}: page 1: RuntimeError: engine exploded (injected fault)"
        assert line in result.output.splitlines()
        assert (out / path.stem / "findings.csv").read_text(encoding="utf-8-sig").count("page failed") == 1


def test_engine_that_answers_garbage_gives_valid_outputs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inputs = _small_inputs(tmp_path)
    out = tmp_path / "out"
    result = _extract(monkeypatch, GarbageReader(), [*map(str, inputs), "-o", str(out), "--source", "ocr"])
    assert result.exit_code == 0, result.output
    cells = []
    for path in inputs:
        doc = _result(out, path.stem)  # strict JSON: no NaN or Infinity from the scores
        assert {p["status"] for p in doc["pages"]} <= {"ok", "no_tables"}
        cells += [c for p in doc["pages"] for t in p["tables"] for c in t["cells"]]
        assert (out / path.stem / "tidy.csv").is_file()
    assert cells and all(0.0 <= c["confidence"] <= 1.0 for c in cells)
    # Junk is never a trusted amount: each read cell is flagged, low-confidence or not a number.
    read = [c for c in cells if c["text"]]
    assert read and all(c["status"] != "ok" or c["value"] is None for c in read)
    for csv_path in out.glob("*/tables/*.csv"):  # a formula the engine "read" is neutralised
        assert not [
            v
            for v in csv_path.read_text(encoding="utf-8-sig").replace("\r\n", ",").split(",")
            if v.startswith(("=", '"='))
        ]


def test_engine_that_miscounts_fails_the_page_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png, *_ = _small_inputs(tmp_path)
    out = tmp_path / "out"
    result = _extract(monkeypatch, MiscountingReader(), [str(png), "-o", str(out)])
    assert result.exit_code == 4, result.output
    error = _result(out, png.stem)["pages"][0]["errors"][0]
    assert error.startswith("EngineError: OCR engine miscounting returned ") and "readings for" in error


def test_engine_that_hangs_is_stopped_by_the_page_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png, jpeg, *_ = _small_inputs(tmp_path)
    out = tmp_path / "out"
    started = time.monotonic()
    result = _extract(
        monkeypatch, HangingReader(), [str(png), str(jpeg), "-o", str(out), "--page-timeout", "1"]
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 4, result.output
    for path in (png, jpeg):
        page = _result(out, path.stem)["pages"][0]
        assert page["status"] == "failed"
        assert page["errors"][0].startswith("PageTimeout: stopped after 1 s (the per-page time limit)")


def test_time_limit_keeps_an_outer_timer_and_refuses_other_threads() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with time_limit(5.0):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0.3  # the outer timer still runs
        time.sleep(0.7)
        assert fired == [signal.SIGALRM]
        with pytest.raises(PageTimeout), time_limit(0.2):
            time.sleep(5)
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            with time_limit(1.0):
                pass
        except RecoverError as exc:
            errors.append(exc)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert len(errors) == 1 and "main thread" in str(errors[0])


def _no_space(after: int):  # type: ignore[no-untyped-def]
    real = os.fsync
    calls = [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    return fsync


@pytest.mark.parametrize("after", [0, 3, 8])
def test_full_disk_stops_with_one_line_and_no_half_written_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, after: int
) -> None:
    png, *_ = _small_inputs(tmp_path)
    out = tmp_path / "out"
    first = _extract(monkeypatch, BlankReader(), [str(png), "-o", str(out)])
    assert first.exit_code == 0, first.output
    before = {p: _content(p) for p in (out / png.stem).rglob("*") if p.is_file()}
    monkeypatch.setattr(os, "fsync", _no_space(after))
    result = _extract(monkeypatch, BlankReader(), [str(png), "-o", str(out), "--fresh"])
    assert result.exit_code == 5, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].endswith("cannot write output (No space left on device)")
    after_files = {p for p in out.rglob("*") if p.is_file()}
    assert not [p for p in after_files if p.name.endswith(".tmp")]
    for path, data in before.items():
        # Every output is the earlier run's or a whole new one; here the new equals the old.
        assert _content(path) == data, path


def test_rerun_sweeps_the_temporaries_a_killed_run_left(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png, *_ = _small_inputs(tmp_path)
    out = tmp_path / "out"
    first = _extract(monkeypatch, BlankReader(), [str(png), "-o", str(out)])
    assert first.exit_code == 0, first.output
    clean = snapshot(out)
    # What ``kill -9`` between mkstemp and os.replace leaves: a temporary beside its target.
    doc_dir = out / png.stem
    stale = [doc_dir / ".result.json.k1ll3d.tmp", doc_dir / "crops" / ".0001-r1-c1.png.x9x9x9.tmp"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    rerun = _extract(monkeypatch, BlankReader(), [str(png), "-o", str(out)])
    assert rerun.exit_code == 0, rerun.output
    assert not [p for p in stale if p.exists()]
    assert snapshot(out) == clean


def test_review_queue_that_cannot_be_written_is_an_output_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    png, *_ = _small_inputs(tmp_path)

    def full(self: ReviewQueue, sha256: str, items: list[object]) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ReviewQueue, "replace_items", full)
    result = _extract(monkeypatch, BlankReader(), [str(png), "-o", str(tmp_path / "out")])
    assert result.exit_code == 5, result.output
    assert result.output.strip() == (
        f"error: {tmp_path / 'out' / DB_NAME}: cannot write the review queue (database or disk is full)"
    )


# --- kill -9 at random points, then a rerun --------------------------------------------------

TIMING_FIELDS = {"seconds"}  # per page in result.json and the checkpoints


def _normalised_json(data: bytes) -> object:
    def scrub(value: object) -> object:
        if isinstance(value, dict):
            return {k: (0 if k in TIMING_FIELDS else scrub(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return scrub(json.loads(data))


def _content(path: Path) -> object:
    data = path.read_bytes()
    return _normalised_json(data) if path.suffix == ".json" else hashlib.sha256(data).hexdigest()


def snapshot(out: Path) -> dict[str, object]:
    """Every output of the folder, timings zeroed; the review queue as its rows."""
    files: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        name = str(path.relative_to(out))
        if not path.is_file() or name.startswith(DB_NAME):
            continue
        files[name] = _content(path)
    with sqlite3.connect(out / DB_NAME) as db:
        queries = {  # a decision's time ("at") is a timing field
            "items": "SELECT * FROM items",
            "decisions": "SELECT seq, key, action, text, reviewer FROM decisions",
            "resolved": "SELECT * FROM resolved",
        }
        for table, query in queries.items():
            files[f"{DB_NAME}:{table}"] = sorted(db.execute(query).fetchall())
    return files


@pytest.mark.slow
def test_kill_at_random_points_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    inputs = [*_small_inputs(tmp_path), SIDEWAYS]
    env = {**os.environ, "ORT_DISABLE_TELEMETRY": "1"}

    def command(out: Path) -> list[str]:
        return [sys.executable, "-m", "recover", "extract", *map(str, inputs), "-o", str(out), "--dpi", "72"]

    started = time.monotonic()
    reference = subprocess.run(command(tmp_path / "ref"), cwd=ROOT, env=env, capture_output=True, check=False)
    whole = time.monotonic() - started
    assert reference.returncode == 0, reference.stderr.decode()
    expected = snapshot(tmp_path / "ref")
    assert sum(1 for k in expected if "/tables/" in k) >= 4 and expected[f"{DB_NAME}:items"]
    rng = random.Random(16)
    cut_short = 0
    for trial in range(3):
        out = tmp_path / f"killed{trial}"
        victim = subprocess.Popen(
            command(out), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 0.95) * whole)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        cut_short += not all((out / p.stem / "result.json").is_file() for p in inputs)
        rerun = subprocess.run(command(out), cwd=ROOT, env=env, capture_output=True, check=False)
        assert rerun.returncode == 0, rerun.stderr.decode()
        got = snapshot(out)
        assert sorted(got) == sorted(expected), f"trial {trial}: files differ"
        for name, value in expected.items():
            assert got[name] == value, f"trial {trial}: {name} differs after kill -9 and rerun"
    assert cut_short, "no kill landed before the batch was done"


def test_a_file_that_takes_too_long_to_open_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from recover.errors import InputFileError
    from recover.ingest import source
    from recover.pipeline import ExtractOptions, iter_document

    *_, pdf = _small_inputs(tmp_path)

    def slow_open(path: Path) -> None:
        time.sleep(30)

    monkeypatch.setattr(source, "_open_pdf", slow_open)
    with pytest.raises(InputFileError, match=r"took too long to open: stopped after 0\.5 s"):
        next(iter_document(pdf, BlankReader(), ExtractOptions(page_timeout=0.5)))
