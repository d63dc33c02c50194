"""Workers on this machine: in this process (``--jobs 1``) or a pool of processes.

Each pool process builds the engine once, in the pool's initializer; onnxruntime and
OpenCV get their share of the cores (the engine recipe carries the thread count).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from recover.read.ocr.engine import LineRecognizer
from recover.read.ocr.factory import EngineSpec
from recover.workers.tasks import Result, Task, lost, run_task

log = logging.getLogger(__name__)

ATTEMPTS = 3
"""Tries of a task whose worker process died (killed, out of memory) before it is given up."""


class InlineWorkers:
    """Runs each task in this process when collected; builds the engine at the first task."""

    def __init__(self, spec: EngineSpec | None = None, reader: LineRecognizer | None = None) -> None:
        if spec is None and reader is None:
            raise ValueError("InlineWorkers needs an engine recipe or an engine")
        self._spec = spec
        self._reader = reader
        self._queue: deque[Task] = deque()

    @property
    def slots(self) -> int:
        """One task at a time."""
        return 1

    def submit(self, task: Task) -> None:
        """Queue a task; it runs when collected."""
        self._queue.append(task)

    def collect(self) -> list[Result]:
        """Run the oldest queued task."""
        if not self._queue:
            return []
        if self._reader is None:
            assert self._spec is not None
            self._reader = self._spec.build()
        return [run_task(self._reader, self._queue.popleft())]

    def close(self) -> None:
        """Nothing to stop."""
        self._queue.clear()


class _WorkerEngine:
    """The engine of one pool process, set by the pool's initializer (one per process,
    never in the parent: the initializer is the only hook a process pool offers)."""

    reader: LineRecognizer | None = None


def _start_worker(spec: EngineSpec) -> None:
    import cv2

    cv2.setNumThreads(max(1, spec.threads))
    _WorkerEngine.reader = spec.build()


def _run_in_worker(task: Task) -> Result:
    assert _WorkerEngine.reader is not None, "pool process started without its engine"
    return run_task(_WorkerEngine.reader, task)


class PoolWorkers:
    """A pool of ``jobs`` processes (spawned on demand, so a batch of bad files starts none)."""

    def __init__(self, spec: EngineSpec, jobs: int) -> None:
        self._spec = spec
        self._jobs = jobs
        self._pool = self._new_pool()
        self._running: dict[Future[Result], tuple[Task, int]] = {}  # future → (task, attempt)

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent may hold threads (progress bar, onnxruntime in tests).
        return ProcessPoolExecutor(
            max_workers=self._jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self._spec,),
        )

    @property
    def slots(self) -> int:
        """The number of processes."""
        return self._jobs

    def submit(self, task: Task) -> None:
        """Send a task to the pool."""
        self._send(task, 1)

    def _send(self, task: Task, attempt: int) -> None:
        self._running[self._pool.submit(_run_in_worker, task)] = (task, attempt)

    def collect(self) -> list[Result]:
        """Wait for at least one task; tasks of a process that died are tried again."""
        while self._running:
            done, _ = wait(self._running, return_when=FIRST_COMPLETED)
            results: list[Result] = []
            broken = False
            for future in done:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True  # the future stays in _running: _restart sends its task again
                    continue
                self._running.pop(future)
                results.append(result)
            if broken:
                results.extend(self._restart())
            if results:
                return results
        return []

    def _restart(self) -> list[Result]:
        # A dead process breaks the whole pool: every task in it is lost with it and sent again
        # to a fresh pool, up to ATTEMPTS times (a page that kills its worker each time fails).
        lost_tasks = list(self._running.values())
        self._running.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        given_up: list[Result] = []
        for task, attempt in lost_tasks:
            if attempt >= ATTEMPTS:
                log.warning("a task lost its worker process %d times; given up", attempt)
                given_up.append(lost(task, "worker process ended unexpectedly (killed or out of memory)"))
            else:
                self._send(task, attempt + 1)
        return given_up

    def close(self) -> None:
        """Stop the pool."""
        self._pool.shutdown(wait=True, cancel_futures=True)
