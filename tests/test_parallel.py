"""``--jobs`` and ``--ray``: the same outputs as one process, a lost worker retried, the engine
loaded only once arguments and inputs are checked."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from benchmarks.same_outputs import output_differences, review_items
from recover.cli import app, with_ray_address
from recover.extract import OutputSettings
from recover.pipeline import ExtractOptions
from recover.read.ocr.factory import EngineSpec, threads_per_worker

SAMPLE = SAMPLES / "wanli_2024_budget_p10-12.pdf"
SIDEWAYS = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"


def _inputs(folder: Path) -> list[Path]:
    """Two documents, one of them twice under another name: five pages, three files."""
    folder.mkdir(parents=True, exist_ok=True)
    again = folder / "again.pdf"
    shutil.copyfile(SIDEWAYS, again)
    return [SAMPLE, SIDEWAYS, again]


def _extract(out: Path, inputs: list[Path], *extra: str) -> str:
    result = CliRunner().invoke(app, ["extract", *map(str, inputs), "-o", str(out), "--debug", *extra])
    assert result.exit_code == 0, result.output
    return result.output.replace(str(out), "OUT")


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], str]:
    root = tmp_path_factory.mktemp("jobs1")
    inputs = _inputs(root / "in")
    return root / "out", inputs, _extract(root / "out", inputs, "--jobs", "1")


@pytest.fixture
def engine_built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every construction of the OCR engine (and refuses to load it)."""
    from recover.read.ocr import rapid

    calls: list[object] = []

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("the OCR engine was built")

    monkeypatch.setattr(rapid.RapidOcrEngine, "__init__", refuse)
    return calls


def test_bad_pages_answers_without_building_the_engine(engine_built: list[object], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(SAMPLE), "-o", str(tmp_path), "--pages", "0-2"])
    assert result.exit_code == 2
    assert "--pages" in result.output and "count from 1" in result.output
    assert engine_built == []


def test_missing_files_answer_without_building_the_engine(engine_built: list[object], tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        missing = [tmp_path / "missing.pdf", tmp_path / "gone.png"]
        result = CliRunner().invoke(app, ["extract", *map(str, missing), "-o", str(tmp_path), "--jobs", jobs])
        assert result.exit_code == 4
        assert [line.startswith("error:") and "not found" in line for line in result.output.splitlines()] == [
            True,
            True,
        ]
    assert engine_built == []


def test_pages_past_the_end_answer_without_building_the_engine(
    engine_built: list[object], tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["extract", str(SIDEWAYS), "-o", str(tmp_path), "--pages", "5"])
    assert result.exit_code == 3 and "none of the pages asked for" in result.output
    assert engine_built == []


def test_two_workers_write_what_one_process_writes(
    one_process: tuple[Path, list[Path], str], tmp_path: Path
) -> None:
    single, inputs, console = one_process
    assert len(review_items(single)) > 0  # the comparison covers review items too
    assert (single / SAMPLE.stem / "debug" / "page-0003.png").is_file()
    out = tmp_path / "out"
    assert _extract(out, inputs, "--jobs", "2") == console
    assert output_differences(single, out) == []


def test_pool_worker_killed_mid_run_is_replaced(
    one_process: tuple[Path, list[Path], str], tmp_path: Path
) -> None:
    import multiprocessing

    from recover.batch import extract_batch
    from recover.workers.local import PoolWorkers

    single, inputs, _ = one_process
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_one_worker() -> None:
        # Once the first page is back, the other pages are being read: stop a worker then.
        deadline = time.monotonic() + 600
        while not any(out.glob("*/pages/*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [p for p in multiprocessing.active_children() if p.pid is not None]
        if workers:
            os.kill(workers[0].pid, signal.SIGKILL)  # type: ignore[arg-type]
            killed.append(workers[0].pid)  # type: ignore[arg-type]

    workers = PoolWorkers(EngineSpec(threads=1), jobs=2)
    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    try:
        settings = OutputSettings(debug=True)
        outcomes = list(extract_batch(inputs, out, workers, EngineSpec().name, ExtractOptions(), settings))
    finally:
        killer.join()
        workers.close()
    assert killed, "no worker process was found to stop"
    assert all(o.error is None for o in outcomes)
    assert output_differences(single, out) == []


def test_ray_address_is_optional_on_the_command_line() -> None:
    assert with_ray_address(["extract", "a.pdf", "--ray"]) == ["extract", "a.pdf", "--ray", "local"]
    assert with_ray_address(["extract", "--ray", "-o", "x"]) == ["extract", "--ray", "local", "-o", "x"]
    assert with_ray_address(["extract", "--ray", "head:6379"]) == ["extract", "--ray", "head:6379"]


def test_ray_refuses_what_is_not_an_address(engine_built: list[object], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--ray", str(SAMPLE), str(SIDEWAYS), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is not a cluster address" in result.output
    assert engine_built == []


def test_threads_split_the_cores() -> None:
    assert [threads_per_worker(n, 2) for n in (1, 2, 4)] == [2, 1, 1]
    assert threads_per_worker(4, 16) == 4


@pytest.mark.slow
def test_ray_cluster_survives_a_killed_worker(
    one_process: tuple[Path, list[Path], str], tmp_path: Path
) -> None:
    ray = pytest.importorskip("ray")
    from recover.batch import extract_batch
    from recover.workers.ray_cluster import RayWorkers

    single, inputs, _ = one_process
    out = tmp_path / "out"
    workers = RayWorkers(EngineSpec(), None, jobs=2)  # a local cluster of two workers
    try:
        pids = ray.get([actor.pid.remote() for actor in workers.actors])

        def kill_one_worker() -> None:
            deadline = time.monotonic() + 600
            while not any(out.glob("*/pages/*.json")) and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(pids[0], signal.SIGKILL)

        killer = threading.Thread(target=kill_one_worker)
        killer.start()
        settings = OutputSettings(debug=True)
        outcomes = list(extract_batch(inputs, out, workers, EngineSpec().name, ExtractOptions(), settings))
        killer.join()
        after = ray.get([actor.pid.remote() for actor in workers.actors])
    finally:
        workers.close()
    assert after[0] != pids[0] and after[1] == pids[1]  # the killed worker was restarted
    assert all(o.error is None for o in outcomes)
    assert output_differences(single, out) == []


def test_rerun_keeps_finished_documents(
    one_process: tuple[Path, list[Path], str], engine_built: list[object], tmp_path: Path
) -> None:
    single, inputs, _ = one_process
    out = tmp_path / "out"
    shutil.copytree(single, out)
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = CliRunner().invoke(app, ["extract", *map(str, inputs), "-o", str(out), "--debug", "--jobs", "1"])
    assert again.exit_code == 0, again.output
    assert again.output.count("outputs kept") == len(inputs)
    assert engine_built == []  # nothing was read again
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == written
    # Another option changes the outputs: that document is done again (from its page checkpoints).
    CliRunner().invoke(
        app, ["extract", str(SIDEWAYS), "-o", str(out), "--debug", "--unit", "万元", "--jobs", "1"]
    )
    assert engine_built != []


def test_rerun_redoes_a_document_with_a_failed_page(
    one_process: tuple[Path, list[Path], str], engine_built: list[object], tmp_path: Path
) -> None:
    import json

    single, _, _ = one_process
    out = tmp_path / "out"
    shutil.copytree(single, out)
    result_json = out / SIDEWAYS.stem / "result.json"
    result = json.loads(result_json.read_text(encoding="utf-8"))
    result["pages"][0]["status"] = "failed"
    result_json.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    CliRunner().invoke(app, ["extract", str(SIDEWAYS), "-o", str(out), "--debug", "--jobs", "1"])
    assert engine_built != []  # not kept: the document is done again
