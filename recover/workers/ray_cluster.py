"""Workers on a Ray cluster: one actor per CPU, each holding its own engines.

Files travel as bytes: the driver (this process) puts each file into Ray's object store once,
and an actor keeps a temporary copy of the file it is reading, so the nodes need the package
installed but not the inputs. The output folder must be the same path on every node (one
machine, or a shared filesystem): actors keep each page there and write each document's
outputs, every file atomically; the review queue is the driver's alone. An actor whose
process dies is restarted and its task tried again (``max_restarts``, ``max_task_retries``):
a task writes the same files under the same names each time, so a retry duplicates nothing.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Any

from recover.errors import RecoverError
from recover.read.ocr.factory import EngineSpec
from recover.workers.tasks import DocumentTask, PageTask, Result, Task, TaskRunner, lost

log = logging.getLogger(__name__)

TASK_RETRIES = 3
"""Tries of a task whose actor died, before its page is recorded as failed."""
QUEUED_PER_ACTOR = 2
"""Tasks sent to an actor at once: the next one is there when the current one ends."""


class PageWorker:
    """A Ray actor's state: a task runner, and the temporary copy of the file it reads."""

    def __init__(self, spec: EngineSpec) -> None:
        import cv2

        cv2.setNumThreads(max(1, spec.threads))
        self._runner = TaskRunner(spec)
        self._folder = tempfile.TemporaryDirectory(prefix="recover-ray-")
        self._copy: tuple[str, Path] | None = None  # (file hash, local copy)

    def run(self, task: Task, data: bytes | None) -> Result:
        """Run a task; a page task's file arrives as ``data`` and is read from a local copy."""
        if data is None or not isinstance(task, PageTask):
            return self._runner.run(task)
        local = self._local_copy(task, data)
        result = self._runner.run(replace(task, source=local))
        if result.failure is not None:
            # Messages name the file the user gave, not the actor's copy.
            message = result.failure.message.replace(str(local), str(task.source))
            result = replace(result, failure=replace(result.failure, message=message))
        return result

    def _local_copy(self, task: PageTask, data: bytes) -> Path:
        if self._copy is not None and self._copy[0] == task.sha256:
            return self._copy[1]
        self._runner.close()
        if self._copy is not None:
            self._copy[1].unlink(missing_ok=True)
        local = Path(self._folder.name) / f"{task.sha256[:16]}{task.source.suffix}"
        local.write_bytes(data)
        self._copy = (task.sha256, local)
        return local

    def pid(self) -> int:
        """The actor's process id (tests stop one to prove tasks survive it)."""
        return os.getpid()


class RayWorkers:
    """Tasks spread over the actors of a Ray cluster, least busy actor first."""

    def __init__(self, spec: EngineSpec, address: str | None, jobs: int | None) -> None:
        try:
            import ray
        except ImportError:
            raise RecoverError("--ray needs the ray extra: pip install 'recover[ray]'") from None
        self._ray = ray
        # The console is the report's: workers' and the cluster's own lines stay in Ray's logs
        # (a lost worker and its retry are logged there; a task given up is reported here).
        try:
            if address is None:
                ray.init(
                    num_cpus=jobs, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False
                )
            else:
                ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, ValueError, RuntimeError) as exc:
            raise RecoverError(f"--ray {address or ''}: cannot start or reach the cluster ({exc})") from None
        count = jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call, unused-ignore]
        actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=TASK_RETRIES)(PageWorker)
        self.actors: list[Any] = [actor.remote(replace(spec, threads=1)) for _ in range(count)]
        self._load = [0] * count
        self._queue: deque[Task] = deque()
        self._running: dict[Any, tuple[Task, int]] = {}  # object ref → (task, actor index)
        self._files: dict[int, Any] = {}  # doc id → object ref of the file's bytes

    @property
    def slots(self) -> int:
        """The number of actors."""
        return len(self.actors)

    def submit(self, task: Task) -> None:
        """Queue a task; it goes to an actor as soon as one has room."""
        if isinstance(task, DocumentTask):
            self._files.pop(task.doc_id, None)  # every page of the file is back
        self._queue.append(task)
        self._dispatch()

    def _dispatch(self) -> None:
        while self._queue and min(self._load) < QUEUED_PER_ACTOR:
            index = self._load.index(min(self._load))
            task = self._queue.popleft()
            data = None
            if isinstance(task, PageTask):
                if task.doc_id not in self._files:
                    self._files[task.doc_id] = self._ray.put(task.source.read_bytes())
                data = self._files[task.doc_id]
            self._running[self.actors[index].run.remote(task, data)] = (task, index)
            self._load[index] += 1

    def collect(self) -> list[Result]:
        """Wait for at least one task; a task whose actor died past its retries is a lost page."""
        self._dispatch()
        if not self._running:
            return []
        self._ray.wait(list(self._running), num_returns=1)
        ready, _ = self._ray.wait(list(self._running), num_returns=len(self._running), timeout=0)
        lost_worker = (
            self._ray.exceptions.RayActorError,
            self._ray.exceptions.WorkerCrashedError,
            self._ray.exceptions.ObjectLostError,
        )
        results: list[Result] = []
        for ref in ready:
            task, index = self._running.pop(ref)
            self._load[index] -= 1
            try:
                results.append(self._ray.get(ref))
            except lost_worker as exc:
                log.warning("a task lost its Ray worker %d times: %s", TASK_RETRIES + 1, exc)
                results.append(lost(task, f"Ray worker lost {TASK_RETRIES + 1} times ({type(exc).__name__})"))
        self._dispatch()
        return results

    def close(self) -> None:
        """Let go of the actors and of the cluster (a local one stops)."""
        self._ray.shutdown()
