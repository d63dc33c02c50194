"""Fuzz benchmark: damaged inputs through the whole extraction; every file gets an outcome.

    python -m benchmarks.fuzz --inputs 10000 --seed 1 --workers 2

Each input (``benchmarks/fuzz_inputs.py``: mutated PDFs, PNG, JPEG and TIFF, zero and huge
dimensions, misnamed files) is rebuilt from (seed, index) in a worker process and run
through ``recover.extract.extract_file`` — the code behind ``recover extract`` — with a fast
constant recogniser (the OCR model is not what is fuzzed) at 72 dpi. A parent watchdog kills
a worker whose file runs past ``--timeout`` (a hang, which the per-page time limit inside
should have stopped first) and starts another; a worker that dies is a crash. Prints the
inputs, outcomes by kind, tracebacks (exceptions that escaped: must be 0), hangs (0) and the
inputs behind each; ``--only INDEX`` reruns one input here with its traceback shown.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.connection import Connection, wait
from pathlib import Path

import numpy as np

from benchmarks.fuzz_inputs import fuzz_input
from recover.errors import InputFileError, RecoverError
from recover.read.ocr.engine import LineReading, no_digits_reading

WORKER_MEMORY = 3 << 30  # bytes of address space a worker may take: a bomb fails, not the machine


class Outcome(StrEnum):
    """What became of one input."""

    EXTRACTED = "extracted"
    PAGE_FAILED = "page failed, with a clear error (the rest extracted)"
    PAGE_FAILED_UNEXPECTED = "page failed on an unexpected exception (kept by the guard)"
    REFUSED = "refused with a one-line error"
    BAD_MESSAGE = "refused, but the message is not one line naming the file"
    TRACEBACK = "traceback: an exception escaped"
    HANG = "hang: killed by the watchdog"
    CRASH = "crash: the worker process died"


@dataclass(frozen=True)
class Result:
    """One input's outcome and what it said."""

    index: int
    mutation: str
    outcome: Outcome
    detail: str = ""
    noted: bool = False  # the document carries a note about its file name
    timed_out_pages: int = 0


class ConstantReader:
    """Reads every crop as "1" at 0.95: fast and deterministic, so the pipeline runs in full."""

    name = "constant"
    digits_only = False

    def recognize_digits(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """Not offered (the protocol's explicit refusal)."""
        raise no_digits_reading(self.name)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[LineReading]:
        """One reading per crop."""
        return [LineReading("1", 0.95) for _ in crops]


def run_one(seed: int, index: int, folder: Path, dpi: int = 72, page_timeout: float = 10.0) -> Result:
    """Build input ``index`` and extract it into ``folder`` (emptied afterwards)."""
    from recover.extract import extract_file
    from recover.model import PageStatus
    from recover.pipeline import ExtractOptions

    made = fuzz_input(seed, index)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / made.name
    path.write_bytes(made.data)
    out = folder / "out"
    options = ExtractOptions(dpi=dpi, page_timeout=page_timeout)
    try:
        doc, _ = extract_file(path, out, ConstantReader(), options, resume=False)
    except InputFileError as exc:
        message = str(exc)
        clear = message.startswith(str(path) + ": ") and "\n" not in message
        return Result(index, made.mutation, Outcome.REFUSED if clear else Outcome.BAD_MESSAGE, exc.problem)
    except RecoverError as exc:
        return Result(index, made.mutation, Outcome.BAD_MESSAGE, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # the point of the benchmark: any escape is counted, not fatal
        return Result(index, made.mutation, Outcome.TRACEBACK, "".join(traceback.format_exception(exc)))
    finally:
        shutil.rmtree(out, ignore_errors=True)
        path.unlink(missing_ok=True)
    errors = [e for p in doc.pages if p.status is PageStatus.FAILED for e in p.errors]
    timeouts = sum(1 for e in errors if e.startswith("PageTimeout"))
    unexpected = [e for e in errors if not e.startswith(("PageError", "PageTimeout"))]
    outcome = (
        Outcome.PAGE_FAILED_UNEXPECTED if unexpected else Outcome.PAGE_FAILED if errors else Outcome.EXTRACTED
    )
    detail = (unexpected or errors or [""])[0]
    return Result(index, made.mutation, outcome, detail, bool(doc.notes), timeouts)


def _worker(conn: Connection, seed: int, folder: str, dpi: int, page_timeout: float) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    logging.disable(logging.CRITICAL)  # failed pages are counted from result.json, not the log
    warnings.simplefilter("ignore")  # Pillow's warnings on damaged TIFF tags, by the thousand
    # libtiff and PDFium print their complaints from C; a crash still shows in the exit code.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    while True:
        index = conn.recv()
        if index is None:
            return
        conn.send(run_one(seed, index, Path(folder), dpi, page_timeout))


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    index: int | None = None
    started: float = 0.0


@dataclass
class Tally:
    """All outcomes of a run."""

    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: Outcome) -> int:
        """How many inputs ended so."""
        return sum(1 for r in self.results if r.outcome is outcome)


def run_fuzz(
    seed: int,
    indices: Sequence[int],
    workers: int = 2,
    timeout: float = 60.0,
    dpi: int = 72,
    page_timeout: float = 10.0,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """Run the inputs ``indices`` over ``workers`` processes, each file watched for ``timeout`` s;
    ``progress`` is called after each input."""
    context = multiprocessing.get_context("spawn")  # nothing inherited: each worker starts clean
    todo = list(reversed(indices))
    tally = Tally()
    started = time.perf_counter()
    # Outputs are written and deleted for every input: in memory where the system has it.
    scratch = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="recover-fuzz-", dir=scratch) as root:

        def start(n: int) -> _Slot:
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_worker, args=(theirs, seed, f"{root}/w{n}", dpi, page_timeout), daemon=True
            )
            process.start()
            theirs.close()
            return _Slot(process, mine)

        slots = [start(n) for n in range(max(1, min(workers, len(todo))))]
        while any(s.index is not None for s in slots) or todo:
            for slot in slots:
                if slot.index is None and todo:
                    slot.index, slot.started = todo.pop(), time.perf_counter()
                    slot.conn.send(slot.index)
            ready = wait([s.conn for s in slots if s.index is not None], timeout=1.0)
            for n, slot in enumerate(slots):
                index = slot.index
                if index is None:
                    continue
                lost: Outcome | None = None
                if slot.conn in ready:
                    try:
                        tally.results.append(slot.conn.recv())
                        slot.index = None
                        if progress is not None:
                            progress(tally)
                        continue
                    except EOFError:
                        lost = Outcome.CRASH
                elif time.perf_counter() - slot.started > timeout:
                    lost = Outcome.HANG
                if lost is not None:
                    slot.process.kill()
                    slot.process.join()
                    mutation = fuzz_input(seed, index).mutation
                    code = slot.process.exitcode
                    tally.results.append(Result(index, mutation, lost, f"exit code {code}"))
                    slot.index = None
                    slots[n] = start(n)
        for slot in slots:
            slot.conn.send(None)
            slot.process.join(timeout=10)
    tally.seconds = time.perf_counter() - started
    tally.results.sort(key=lambda r: r.index)
    return tally


def report(tally: Tally, seed: int) -> str:
    """The figures, as printed."""
    lines = [
        f"inputs: {len(tally.results)} (seed {seed}), {tally.seconds:.0f} s, "
        f"{len(tally.results) / max(tally.seconds, 1e-9):.1f} inputs/s"
    ]
    for outcome in Outcome:
        lines.append(f"  {tally.count(outcome):6d}  {outcome.value}")
    noted = sum(1 for r in tally.results if r.noted)
    timed_out = sum(r.timed_out_pages for r in tally.results)
    lines.append(
        f"  of which: {noted} with a note on a misleading file name, {timed_out} pages stopped by the "
        "page time limit"
    )
    families = Counter((r.mutation.split(":")[0], r.outcome) for r in tally.results)
    lines.append("by mutation family:")
    for family in sorted({f for f, _ in families}):
        parts = ", ".join(f"{o.name.lower()} {families[family, o]}" for o in Outcome if families[family, o])
        lines.append(f"  {family}: {parts}")
    reasons = Counter(
        _reason(r) for r in tally.results if r.outcome in (Outcome.REFUSED, Outcome.PAGE_FAILED)
    )
    lines.append("most common errors:")
    lines.extend(f"  {n:6d}  {reason}" for reason, n in reasons.most_common(12))
    lines.append(
        f"tracebacks: {tally.count(Outcome.TRACEBACK)}, hangs: {tally.count(Outcome.HANG)}, "
        f"crashes: {tally.count(Outcome.CRASH)}, unexpected page exceptions: "
        f"{tally.count(Outcome.PAGE_FAILED_UNEXPECTED)}"
    )
    bad = [
        r
        for r in tally.results
        if r.outcome
        in (
            Outcome.TRACEBACK,
            Outcome.HANG,
            Outcome.CRASH,
            Outcome.PAGE_FAILED_UNEXPECTED,
            Outcome.BAD_MESSAGE,
        )
    ]
    for r in bad[:20]:
        last = r.detail.strip().splitlines()[-1] if r.detail.strip() else ""
        lines.append(f"  input {r.index} ({r.mutation}): {r.outcome.name.lower()}: {last[:160]}")
    return "\n".join(lines)


def _reason(result: Result) -> str:
    """The error without the figures that vary from input to input."""
    text = result.detail.split("(")[0] if "(" in result.detail else result.detail
    return " ".join(w for w in text.split() if not any(ch.isdigit() for ch in w))[:100]


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--start", type=int, default=0, help="first input index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per file before the watchdog")
    parser.add_argument("--page-timeout", type=float, default=10.0, help="the extraction's per-page limit")
    parser.add_argument("--dpi", type=int, default=72)
    parser.add_argument("--only", type=int, help="rerun this one input in this process, tracebacks shown")
    args = parser.parse_args()
    if args.only is not None:
        with tempfile.TemporaryDirectory() as folder:
            result = run_one(args.seed, args.only, Path(folder), args.dpi, args.page_timeout)
        print(f"input {result.index} ({result.mutation}): {result.outcome.value}\n{result.detail}")
        return
    indices = range(args.start, args.start + args.inputs)
    started = time.perf_counter()

    def show(tally: Tally) -> None:
        done = len(tally.results)
        if done % 250 == 0:
            counts = ", ".join(f"{o.name.lower()} {tally.count(o)}" for o in Outcome if tally.count(o))
            print(
                f"{done}/{len(indices)} in {time.perf_counter() - started:.0f} s: {counts}", file=sys.stderr
            )

    tally = run_fuzz(args.seed, indices, args.workers, args.timeout, args.dpi, args.page_timeout, show)
    print(report(tally, args.seed))


if __name__ == "__main__":
    main()
