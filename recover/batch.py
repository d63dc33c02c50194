"""A batch of files through the workers: pages of all open files in flight at once, every
output written by this process, file after file in the order given.

Writing in input order keeps the review queue and the console identical to a run in one
process; files that share an output folder (the same stem) are never in flight together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from recover.errors import RecoverError, ReportedError
from recover.export.outputs import document_dir
from recover.extract import (
    DocumentRun,
    ExtractSummary,
    OutputSettings,
    document_task,
    finish_document,
    open_document,
    save_page,
    summarize,
)
from recover.model import Document
from recover.pipeline import ExtractOptions
from recover.workers.tasks import PageResult, Result, TaskFailure, Workers

BatchProgress = Callable[[Path, int, int], None]
"""Called as (file, pages done, pages wanted) whenever a page of that file is done."""

QUEUED_PER_SLOT = 2
"""Tasks kept queued per worker, so none waits while the parent saves a result."""


@dataclass(frozen=True)
class FileOutcome:
    """What became of one input file: its document and summary, or the error that stopped it."""

    path: Path
    document: Document | None = None
    summary: ExtractSummary | None = None
    error: RecoverError | None = None


def extract_batch(
    paths: Sequence[Path],
    out_root: Path,
    workers: Workers,
    engine_name: str,
    options: ExtractOptions,
    settings: OutputSettings,
    progress: BatchProgress | None = None,
) -> Iterator[FileOutcome]:
    """Extract every file into ``OUT/<stem>/``; yields one outcome per file, in order."""
    batch = _Batch(list(paths), out_root, workers, engine_name, options, settings, progress)
    for turn in range(len(paths)):
        yield batch.outcome(turn)


class _Batch:
    def __init__(
        self,
        paths: list[Path],
        out_root: Path,
        workers: Workers,
        engine_name: str,
        options: ExtractOptions,
        settings: OutputSettings,
        progress: BatchProgress | None,
    ) -> None:
        self.paths, self.out_root, self.workers = paths, out_root, workers
        self.engine_name, self.options, self.settings = engine_name, options, settings
        self.progress = progress
        self.runs: dict[int, DocumentRun] = {}  # opened, not yet written
        self.ready: dict[int, FileOutcome | Document] = {}  # finished, waiting for their turn
        self.next_open = 0
        self.pending = 0

    def outcome(self, turn: int) -> FileOutcome:
        """Work until file ``turn`` is finished, then write its outputs."""
        while turn not in self.ready:
            self._open_more(turn)
            if turn in self.ready:
                break
            results = self.workers.collect()
            if not results:
                raise RuntimeError(f"file {turn} is open but none of its tasks is queued")
            for result in results:
                self.pending -= 1
                self._take(result)
        finished = self.ready.pop(turn)
        if isinstance(finished, FileOutcome):
            return finished
        run = self.runs.pop(turn)
        summary = finish_document(run, finished, self.out_root, self.options, self.settings)
        return FileOutcome(run.path, finished, summary)

    def _open_more(self, turn: int) -> None:
        slots = self.workers.slots
        while self.next_open < len(self.paths):
            index = self.next_open
            busy = self.pending >= QUEUED_PER_SLOT * slots or len(self.runs) > QUEUED_PER_SLOT * slots
            if index > turn and busy:
                return  # the file whose turn it is always opens; later ones when there is room
            folder = document_dir(self.out_root, self.paths[index])
            if any(run.doc_dir == folder for run in self.runs.values()):
                return  # same output folder as a file still in flight: after it
            self.next_open += 1
            self._open(index, self.paths[index])

    def _open(self, index: int, path: Path) -> None:
        try:
            run, tasks = open_document(
                index, path, self.out_root, self.engine_name, self.options, self.settings
            )
        except RecoverError as exc:
            self.ready[index] = FileOutcome(path, error=exc)
            return
        if run.kept is not None:
            self.ready[index] = FileOutcome(path, run.kept, summarize(run, run.kept, run.kept_review_items))
            return
        self.runs[index] = run
        self._show(run)
        if not tasks:
            self._submit_document(run)
        for task in tasks:
            self.workers.submit(task)
            self.pending += 1

    def _take(self, result: Result) -> None:
        run = self.runs.get(result.doc_id)
        if run is None:
            return  # a late page of a file that already failed
        if isinstance(result, PageResult):
            save_page(run, result)
            if run.failure is not None:
                self._fail(run, run.failure)
            else:
                self._show(run)
                if run.pages_done:
                    self._submit_document(run)
        elif result.failure is not None:
            self._fail(run, result.failure)
        else:
            assert result.document is not None
            self.ready[run.doc_id] = result.document

    def _submit_document(self, run: DocumentRun) -> None:
        self.workers.submit(document_task(run, self.options))
        self.pending += 1

    def _fail(self, run: DocumentRun, failure: TaskFailure) -> None:
        del self.runs[run.doc_id]
        self.ready[run.doc_id] = FileOutcome(
            run.path, error=ReportedError(failure.message, failure.exit_code)
        )

    def _show(self, run: DocumentRun) -> None:
        if self.progress is not None:
            self.progress(run.path, len(run.pages), run.wanted)
