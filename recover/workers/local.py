"""Workers on this machine: a pool of processes, each holding its own engine.

Each process builds its engines at its first task (a batch of files refused before any page
starts none); the runtime gets the process's share of the cores (the engine recipe carries
the thread count). Processes are spawned, not forked: forking after a runtime has started its
threads can deadlock. A process whose parent is gone (killed) stops on its own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from recover.read.ocr.factory import EngineSpec
from recover.workers.tasks import Result, Task, TaskRunner, lost

log = logging.getLogger(__name__)

ATTEMPTS = 3
"""Tries of a task whose worker process died (killed, out of memory) before it is given up."""
PARENT_CHECK_S = 1.0
"""How often a worker looks whether the process that started it is still there."""


class _WorkerRunner:
    """The runner of one pool process, set by the pool's initializer (one per process,
    never in the parent: the initializer is the only hook a process pool offers)."""

    runner: TaskRunner | None = None
    busy = threading.Lock()  # held while a task runs: an orphaned worker ends between tasks


def _start_worker(spec: EngineSpec) -> None:
    import cv2

    cv2.setNumThreads(max(1, spec.threads))
    # Ctrl+C is the parent's to handle (it stops the pool); a worker would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WorkerRunner.runner = TaskRunner(spec)
    parent = os.getppid()
    threading.Thread(target=_stop_when_orphaned, args=(parent,), daemon=True).start()


def _stop_when_orphaned(parent: int) -> None:
    # A parent killed with SIGKILL cannot stop its pool; its workers would wait for tasks forever.
    # The task under way is finished first, so that no output is left half-written.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    _WorkerRunner.busy.acquire()
    os._exit(1)


def _run_in_worker(task: Task) -> Result:
    assert _WorkerRunner.runner is not None, "pool process started without its runner"
    with _WorkerRunner.busy:
        return _WorkerRunner.runner.run(task)


class PoolWorkers:
    """A pool of ``jobs`` processes (started as tasks arrive)."""

    def __init__(self, spec: EngineSpec, jobs: int) -> None:
        self._spec = spec
        self._jobs = jobs
        self._pool = self._new_pool()
        self._running: dict[Future[Result], tuple[Task, int]] = {}  # future → (task, attempt)

    def _new_pool(self) -> ProcessPoolExecutor:
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
