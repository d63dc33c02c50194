"""Throughput of ``recover extract`` with ``--jobs 1``, ``--jobs 2`` and a local Ray cluster.

    python -m benchmarks.throughput                        # 12-page document, 20-file batch
    python -m benchmarks.throughput --ray                  # and a 200-file batch on a local Ray cluster
    python -m benchmarks.throughput --doc-pages 3 --batch-files 4 --ray --ray-files 6   # a quick look

On the same inputs in the same run: s/page of one scanned document (median page time and the
whole run, engine start included) with ``--jobs 1`` and ``--jobs 2``; pages/s of a batch of
files with ``--jobs 1`` and ``--jobs 2``; with ``--ray``, pages/s of a larger batch on a local
Ray cluster beside ``--jobs 2`` and ``--jobs 1``. Each run prints the peak memory (RSS) of its
busiest worker process (with ``--jobs 1``: this process). Every run's outputs are compared
with the ``--jobs 1`` run's (byte for byte but page timings and the workbook's creation
time). Figures from a machine that other work shares are only comparable within one run.

Inputs: the document is the first table pages of a cn_budget filing, rendered at ``--dpi`` and
degraded (medium) into an image-only PDF; the batches cycle through samples/*.pdf and the
seed_scans cases (copies under other names past their count).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.run import EVAL, _render
from benchmarks.same_outputs import output_differences
from recover.batch import BatchSettings, extract_batch
from recover.errors import RecoverError
from recover.extract import extract_file
from recover.model import Page
from recover.pipeline import ExtractOptions
from recover.read.ocr.factory import EngineSpec
from recover.read.ocr.rapid import RapidOcrEngine, usable_cores
from recover.workers import make_workers
from recover.workers.tasks import Result, Task, Workers, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = EVAL / "cn_budget" / "pdf" / "上海市普陀区人民政府万里街道办事处24年预算.pdf"


class MeteredWorkers:
    """Passes tasks through and keeps the highest peak memory any worker reported."""

    def __init__(self, inner: Workers) -> None:
        self.inner = inner
        self.peak_mb = 0.0

    @property
    def slots(self) -> int:
        return self.inner.slots

    def submit(self, task: Task) -> None:
        self.inner.submit(task)

    def collect(self) -> list[Result]:
        results = self.inner.collect()
        self.peak_mb = max([self.peak_mb, *(r.peak_rss_mb for r in results)])
        return results

    def close(self) -> None:
        self.inner.close()


@dataclass(frozen=True)
class Run:
    """One extraction of a set of inputs."""

    label: str
    pages: int
    seconds: float
    median_page: float
    worker_peak_mb: float
    failed_files: int
    same_as_jobs1: bool | None

    def line(self) -> str:
        same = {None: "reference", True: "identical", False: "DIFFERENT"}[self.same_as_jobs1]
        return (
            f"  {self.label:<22} {self.pages:4d} pages {self.seconds:7.1f} s  "
            f"{self.seconds / max(1, self.pages):5.2f} s/page whole run  "
            f"{self.pages / self.seconds:5.2f} pages/s  "
            f"median page {self.median_page:5.2f} s  peak RSS/worker {self.worker_peak_mb:5.0f} MiB  "
            f"failed files {self.failed_files}  outputs {same}"
        )


def _reset_peak_memory() -> None:
    """Start this process's peak memory (VmHWM) afresh, so a --jobs 1 run measures itself."""
    # Not on Linux (or not allowed): the figure includes the benchmark's own work.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _in_this_process(inputs: list[Path], out: Path) -> tuple[list[Page], int, float]:
    """``--jobs 1``: the in-process path (engine load included); pages, failed files, peak MiB."""
    _reset_peak_memory()
    reader = RapidOcrEngine()
    pages: list[Page] = []
    failed = 0
    for path in inputs:
        try:
            doc, _ = extract_file(path, out, reader, ExtractOptions(), resume=False)
        except RecoverError:  # counted, as the command line reports it and goes on
            failed += 1
            continue
        pages += doc.pages
    return pages, failed, peak_rss_mb()


def _on_workers(inputs: list[Path], out: Path, jobs: int, ray: bool) -> tuple[list[Page], int, float]:
    """``--jobs N`` or ``--ray`` (a local cluster of ``jobs`` workers)."""
    settings = BatchSettings(resume=False, outputs_in_workers=ray, keep_finished=ray)
    spec = EngineSpec()
    workers = MeteredWorkers(make_workers(spec, jobs, "local" if ray else None, local_ray=ray))
    try:
        outcomes = list(extract_batch(inputs, out, workers, spec.name, ExtractOptions(), settings))
    finally:
        workers.close()
    pages = [p for o in outcomes if o.document for p in o.document.pages]
    return pages, sum(1 for o in outcomes if o.error), workers.peak_mb


def extract_all(
    label: str, inputs: list[Path], out: Path, jobs: int, ray: bool, reference: Path | None
) -> Run:
    """Extract ``inputs`` into ``out`` (engine start included) and compare with ``reference``."""
    started = time.perf_counter()
    if jobs == 1 and not ray:
        pages, failed, peak = _in_this_process(inputs, out)
    else:
        pages, failed, peak = _on_workers(inputs, out, jobs, ray)
    seconds = time.perf_counter() - started
    same = None if reference is None else output_differences(reference, out) == []
    median = statistics.median(p.seconds for p in pages) if pages else 0.0
    return Run(label, len(pages), seconds, median, peak, failed, same)


def make_document(folder: Path, pages: int, dpi: int) -> Path:
    """The first ``pages`` table pages of a cn_budget filing as a degraded image-only scan."""
    manifest = json.loads((EVAL / "cn_budget" / "manifest.json").read_text(encoding="utf-8"))
    numbers = sorted({m["page"] for m in manifest if Path(m["pdf"]).name == DOCUMENT.name})[:pages]
    images = []
    for n in numbers:
        seed = zlib.crc32(f"{DOCUMENT.name}|{n}|{dpi}".encode())
        images.append(degrade(_render(DOCUMENT, n, dpi), dpi, "medium", seed).rgb)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "document.pdf"
    save_image_pdf(images, dpi, str(path), quality=95)
    return path


def make_batch(folder: Path, count: int) -> list[Path]:
    """``count`` files: the samples and the seed_scans cases, in turn, each under its own name."""
    sources = sorted((ROOT / "samples").glob("*.pdf")) + sorted((EVAL / "seed_scans" / "cases").glob("*.pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    batch = []
    for i in range(count):
        source = sources[i % len(sources)]
        target = folder / f"{i:03d}_{source.name}"
        shutil.copyfile(source, target)
        batch.append(target)
    return batch


def compare(title: str, inputs: list[Path], work: Path, kinds: list[tuple[str, int, bool]]) -> list[Run]:
    """Run each (label, jobs, on Ray) on ``inputs``; the first is the reference."""
    print(title, flush=True)
    runs: list[Run] = []
    reference: Path | None = None
    for label, jobs, ray in kinds:
        out = work / label.replace(" ", "_").replace(",", "")
        run = extract_all(label, inputs, out, jobs, ray, reference)
        reference = reference or out
        runs.append(run)
        print(run.line(), flush=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--doc-pages", type=int, default=12, help="pages of the one document")
    parser.add_argument("--batch-files", type=int, default=20, help="files of the --jobs batch")
    parser.add_argument("--ray", action="store_true", help="also a batch on a local Ray cluster (ray extra)")
    parser.add_argument("--ray-files", type=int, default=200, help="files of the Ray batch")
    parser.add_argument("--ray-workers", type=int, default=2, help="workers of the local Ray cluster")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the degraded document")
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    args = parser.parse_args()
    print(f"cores: {usable_cores()} (this process's affinity); runtime threads per worker: cores / jobs")
    work = args.keep or Path(tempfile.mkdtemp(prefix="recover-throughput-"))
    local = [("jobs 1", 1, False), ("jobs 2", 2, False)]
    document = make_document(work / "in", args.doc_pages, args.dpi)
    compare(
        f"one document ({args.doc_pages} pages, {args.dpi} dpi, medium damage):",
        [document],
        work / "doc",
        local,
    )
    batch = make_batch(work / "batch", args.batch_files)
    compare(f"batch of {len(batch)} files:", batch, work / "batch-out", local)
    if args.ray:
        many = make_batch(work / "many", args.ray_files)
        ray_runs = [*local, (f"ray local, {args.ray_workers} workers", args.ray_workers, True)]
        compare(f"batch of {len(many)} files, local Ray cluster:", many, work / "many-out", ray_runs)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
