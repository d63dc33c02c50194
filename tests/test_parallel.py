"""``--jobs`` and ``--ray``: the same outputs as one process, a bad file among good ones, a lost
worker retried, finished documents kept on a rerun, the engine loaded only in the workers."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

import bad_inputs
import numpy as np
import pytest
from conftest import SAMPLES
from fake_engines import BlankReader
from typer.testing import CliRunner

from benchmarks.same_outputs import output_differences, review_items
from recover.batch import BatchSettings, FileOutcome, extract_batch
from recover.cli import app, with_ray_address
from recover.pipeline import ExtractOptions, LayoutDetection
from recover.read.ocr.engine import LineReading
from recover.read.ocr.factory import EngineSpec, threads_per_worker
from recover.workers.finished import FINISHED
from recover.workers.tasks import Result, Task, TaskRunner

SAMPLE = SAMPLES / "wanli_2024_budget_p10-12.pdf"
SIDEWAYS = SAMPLES / "wanli_2024_budget_p16_sideways.pdf"
NO_RAY = "the ray extra is not installed (pip install -e '.[ray]')"
# Decided before the fixtures run (the one-process reference takes a while).
SKIP_RAY = importlib.util.find_spec("ray") is None and not os.environ.get("RECOVER_REQUIRE_RAY")
FAKE_OPTIONS = ExtractOptions(dpi=72, layout=LayoutDetection.OFF)


class SlowBlankReader(BlankReader):
    """Reads nothing, slowly: a page takes long enough for a worker to be stopped mid-run."""

    name = "slow-blank"

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """An empty reading per crop, after a pause."""
        time.sleep(0.3)
        return super().recognize(crops)


class InlineWorkers:
    """Runs each task in this process when collected (orchestration tests, no processes)."""

    def __init__(self, spec: EngineSpec) -> None:
        self._runner = TaskRunner(spec)
        self._queue: deque[Task] = deque()
        self.submitted = 0

    @property
    def slots(self) -> int:
        return 1

    def submit(self, task: Task) -> None:
        self.submitted += 1
        self._queue.append(task)

    def collect(self) -> list[Result]:
        return [self._runner.run(self._queue.popleft())] if self._queue else []

    def close(self) -> None:
        self._runner.close()


def _inputs(folder: Path) -> list[Path]:
    """Two documents (one of them twice, under another name) among a damaged PNG, an empty
    file and a TIFF with a damaged page: a batch as a crawl gives it."""
    folder.mkdir(parents=True, exist_ok=True)
    again = folder / "again.pdf"
    shutil.copyfile(SIDEWAYS, again)
    broken = bad_inputs.png_with_broken_header(folder)
    damaged = bad_inputs.tiff_with_damaged_frame(folder, frame=2)
    return [SAMPLE, broken, SIDEWAYS, bad_inputs.empty_file(folder), again, damaged]


def _extract(out: Path, inputs: list[Path], *extra: str) -> tuple[int, str]:
    args = ["extract", *map(str, inputs), "-o", str(out), "--debug", "--format", "csv,xlsx", *extra]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout.replace(str(out), "OUT")


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], str]:
    root = tmp_path_factory.mktemp("jobs1")
    inputs = _inputs(root / "in")
    code, console = _extract(root / "out", inputs, "--jobs", "1")
    assert code == 4, console  # the bad files and the damaged page
    return root / "out", inputs, console


@pytest.mark.slow
def test_two_workers_write_what_one_process_writes(
    one_process: tuple[Path, list[Path], str], tmp_path: Path
) -> None:
    single, inputs, console = one_process
    assert len(review_items(single)) > 0  # the comparison covers review items too
    assert (single / SAMPLE.stem / "debug" / "page-0003.png").is_file()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["extract", *map(str, inputs), "-o", str(out), "--debug", "--format", "csv,xlsx", "--jobs", "2"]
    )
    assert result.exit_code == 4
    assert result.stdout.replace(str(out), "OUT") == console
    assert output_differences(single, out) == []
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    broken, empty, damaged = inputs[1], inputs[3], inputs[5]
    assert [line.split(": ")[1] for line in errors] == [str(broken), str(empty), str(damaged)]
    assert "page 2: PageError" in errors[2]
    for good in (SAMPLE, SIDEWAYS, inputs[4], damaged):
        assert (out / good.stem / "result.json").is_file()


@pytest.fixture
def nothing_started(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every OCR engine built here and every task sent to a process pool."""
    from concurrent.futures import ProcessPoolExecutor

    from recover.read.ocr import rapid

    calls: list[object] = []

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("the OCR engine was built")

    def record(self: object, *args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("a task was sent to the pool")

    monkeypatch.setattr(rapid.RapidOcrEngine, "__init__", refuse)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", record)
    return calls


def test_bad_pages_answers_without_starting_workers(nothing_started: list[object], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["extract", str(SAMPLE), "-o", str(tmp_path), "--pages", "0-2", "--jobs", "2"]
    )
    assert result.exit_code == 2
    assert "--pages" in result.output and "count from 1" in result.output
    assert nothing_started == []


def test_missing_files_answer_without_starting_workers(nothing_started: list[object], tmp_path: Path) -> None:
    missing = [tmp_path / "missing.pdf", tmp_path / "gone.png"]
    result = CliRunner().invoke(app, ["extract", *map(str, missing), "-o", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("error:") and "not found" in line for line in lines)
    assert nothing_started == []


def test_ray_address_is_optional_on_the_command_line() -> None:
    assert with_ray_address(["extract", "a.pdf", "--ray"]) == ["extract", "a.pdf", "--ray", "local"]
    assert with_ray_address(["extract", "--ray", "-o", "x"]) == ["extract", "--ray", "local", "-o", "x"]
    assert with_ray_address(["extract", "--ray", "head:6379"]) == ["extract", "--ray", "head:6379"]


def test_ray_refuses_what_is_not_an_address(nothing_started: list[object], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--ray", str(SAMPLE), str(SIDEWAYS), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is not a cluster address" in result.output
    assert nothing_started == []


def test_threads_split_the_cores() -> None:
    assert [threads_per_worker(n, 2) for n in (1, 2, 4)] == [2, 1, 1]
    assert threads_per_worker(4, 16) == 4


def _batch(
    inputs: list[Path], out: Path, workers: object, settings: BatchSettings, spec: EngineSpec
) -> list[FileOutcome]:
    return list(extract_batch(inputs, out, workers, spec.name, FAKE_OPTIONS, settings))  # type: ignore[arg-type]


def test_files_of_the_same_name_are_not_in_flight_together(tmp_path: Path) -> None:
    spec = EngineSpec(custom=BlankReader)
    first, second = tmp_path / "a" / "scan.pdf", tmp_path / "b" / "scan.pdf"
    for path in (first, second):
        path.parent.mkdir()
        shutil.copyfile(SIDEWAYS, path)
    outcomes = _batch([first, second], tmp_path / "out", InlineWorkers(spec), BatchSettings(), spec)
    assert [o.error for o in outcomes] == [None, None]
    assert [o.summary.resumed_pages for o in outcomes if o.summary] == [0, 1]  # same file, same folder
    # The later file's outputs are what the folder holds, as in one process.
    result = json.loads((tmp_path / "out" / "scan" / "result.json").read_text(encoding="utf-8"))
    assert result["source"] == str(second) and len(result["pages"]) == 1


def test_a_rerun_keeps_documents_finished_with_the_same_file_and_options(tmp_path: Path) -> None:
    spec = EngineSpec(custom=BlankReader)
    again = tmp_path / "again.pdf"
    shutil.copyfile(SIDEWAYS, again)
    inputs, out = [SIDEWAYS, again], tmp_path / "out"
    ray_like = BatchSettings(outputs_in_workers=True, keep_finished=True)
    assert all(
        o.error is None and not o.kept for o in _batch(inputs, out, InlineWorkers(spec), ray_like, spec)
    )
    assert (out / again.stem / FINISHED).is_file()
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    rerun = InlineWorkers(spec)
    assert all(o.kept for o in _batch(inputs, out, rerun, ray_like, spec))
    assert rerun.submitted == 0  # nothing was read or written again
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == written
    # Another unit changes tidy.csv; an output changed since: those documents are done again.
    other_unit = InlineWorkers(spec)
    assert not any(
        o.kept
        for o in _batch([SIDEWAYS], out, other_unit, BatchSettings(unit="万元", keep_finished=True), spec)
    )
    (out / again.stem / "tidy.csv").write_bytes(b"edited")
    assert not any(o.kept for o in _batch([again], out, InlineWorkers(spec), ray_like, spec))
    assert other_unit.submitted == 1  # the document stages only: its page came from its checkpoint


def _kill_when_a_page_is_done(
    out: Path, pids: Callable[[], list[int]], killed: list[int]
) -> threading.Thread:
    """Stop one worker once the first page is kept (the other pages are being read then)."""

    def kill() -> None:
        deadline = time.monotonic() + 300
        while not any(out.glob("*/pages/*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        found = pids()
        if found:
            os.kill(found[0], signal.SIGKILL)
            killed.append(found[0])

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def test_a_pool_worker_killed_mid_run_is_replaced(tmp_path: Path) -> None:
    import multiprocessing

    from recover.workers.local import PoolWorkers

    spec = EngineSpec(custom=SlowBlankReader)
    inputs = [SAMPLE, SIDEWAYS]
    reference = _batch(inputs, tmp_path / "ref", InlineWorkers(spec), BatchSettings(debug=True), spec)
    out, killed = tmp_path / "out", list[int]()
    workers = PoolWorkers(spec, jobs=2)
    live = [p.pid for p in multiprocessing.active_children() if p.pid is not None]
    killer = _kill_when_a_page_is_done(
        out, lambda: [p.pid for p in multiprocessing.active_children() if p.pid and p.pid not in live], killed
    )
    try:
        outcomes = _batch(inputs, out, workers, BatchSettings(debug=True), spec)
    finally:
        killer.join()
        workers.close()
    assert killed, "no worker process was found to stop"
    assert [o.error for o in outcomes] == [None, None] and [o.error for o in reference] == [None, None]
    assert output_differences(tmp_path / "ref", out) == []


def _need_ray() -> None:
    """Skip without the ray extra; CI sets RECOVER_REQUIRE_RAY, so that there it fails instead."""
    try:
        import ray  # noqa: F401
    except ImportError as exc:
        if os.environ.get("RECOVER_REQUIRE_RAY"):
            raise AssertionError(f"RECOVER_REQUIRE_RAY is set but ray cannot be imported ({exc})") from exc
        pytest.skip(NO_RAY)


def _ray_actor_pids() -> list[int]:
    """Processes of this machine whose title says they are the tool's Ray actors."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"ray::PageWorker"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return sorted(pids)


@pytest.mark.slow
@pytest.mark.skipif(SKIP_RAY, reason=NO_RAY)
def test_a_local_ray_cluster_of_two_writes_what_one_process_writes_despite_a_killed_worker(
    one_process: tuple[Path, list[Path], str], tmp_path: Path
) -> None:
    _need_ray()
    single, inputs, console = one_process
    out, killed = tmp_path / "out", list[int]()
    killer = _kill_when_a_page_is_done(out, _ray_actor_pids, killed)
    try:
        code, got = _extract(out, inputs, "--ray", "local", "--jobs", "2")
    finally:
        killer.join()
    assert killed, "no Ray worker was found to stop"
    # Ray itself tells of the lost worker and of the retry, on lines of its own.
    ray_lines = [line for line in got.splitlines(keepends=True) if "(raylet)" in line]
    assert ray_lines, "Ray did not notice the killed worker"
    assert (
        code == 4
        and "".join(line for line in got.splitlines(keepends=True) if line not in ray_lines) == console
    )
    assert output_differences(single, out) == []  # no table or review item missing or twice
    assert sorted(p.parent.name for p in out.glob(f"*/{FINISHED}")) == sorted(
        p.stem for p in (SAMPLE, SIDEWAYS, inputs[4])
    )  # the document with a failed page is not finished: a rerun tries that page again
