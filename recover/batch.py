"""A batch of files through the workers: pages of all open files in flight at once, the
document stages once per file, every review item written by this process, file after file
in the order given.

Finishing files in input order keeps the review queue and the console identical to a run in
one process; files that share an output folder (the same stem) are never in flight together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from recover.errors import RecoverError
from recover.export.formats import DEFAULT_FORMATS, OutputFormat
from recover.export.outputs import load_page_checkpoints, write_document
from recover.extract import ExtractSummary, start_document, summarise
from recover.model import Document, Page, PageStatus
from recover.pipeline import ExtractOptions, open_source, wanted_pages
from recover.review.build import build_queue
from recover.workers.finished import finished_document, mark_finished
from recover.workers.tasks import (
    DocumentResult,
    DocumentTask,
    Export,
    PageResult,
    PageTask,
    Result,
    TaskFailure,
    WorkerError,
    Workers,
)

BatchProgress = Callable[[Path, int, int], None]
"""Called as (file, pages done, pages wanted) whenever a page of that file is done."""

QUEUED_PER_SLOT = 2
"""Tasks kept queued per worker, so none waits while this process finishes a document."""


@dataclass(frozen=True)
class BatchSettings:
    """How a batch writes: overlays, resuming, ``tidy.csv``'s unit, the formats; whether the
    workers write each document's outputs (on Ray) and whether a document an earlier run
    finished with the same file and options is kept as it is."""

    debug: bool = False
    resume: bool = True
    unit: str | None = None
    formats: frozenset[OutputFormat] = DEFAULT_FORMATS
    outputs_in_workers: bool = False
    keep_finished: bool = False


@dataclass(frozen=True)
class FileOutcome:
    """What became of one input file: its document and summary, or the error that stopped it."""

    path: Path
    document: Document | None = None
    summary: ExtractSummary | None = None
    error: RecoverError | None = None
    kept: bool = False  # finished by an earlier run: nothing was done


@dataclass
class _Run:
    """One input file on its way through the workers."""

    doc_id: int
    path: Path
    doc_dir: Path
    doc: Document
    wanted: int  # pages asked for that the file has
    pages: dict[int, Page] = field(default_factory=dict)  # finished so far, resumed ones included
    resumed: int = 0


def extract_batch(
    paths: Sequence[Path],
    out_root: Path,
    workers: Workers,
    engine_name: str,
    options: ExtractOptions,
    settings: BatchSettings,
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
        settings: BatchSettings,
        progress: BatchProgress | None,
    ) -> None:
        self.paths, self.out_root, self.workers = paths, out_root, workers
        self.engine_name, self.settings, self.progress = engine_name, settings, progress
        self.options = options
        # Each worker loads its own layout engine: a loaded one does not travel.
        self.task_options = replace(options, layout_engine=None)
        self.runs: dict[int, _Run] = {}  # opened, not yet finished
        self.ready: dict[int, FileOutcome | Document] = {}  # done, waiting for their turn
        self.next_open = 0
        self.pending = 0

    def outcome(self, turn: int) -> FileOutcome:
        """Work until file ``turn`` is done, then finish it (review items, summary)."""
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
        done = self.ready.pop(turn)
        run = self.runs.pop(turn, None)
        if isinstance(done, FileOutcome):
            return done
        assert run is not None
        try:
            return self._finish(run, done)
        except RecoverError as exc:
            return FileOutcome(run.path, error=exc)

    def _finish(self, run: _Run, doc: Document) -> FileOutcome:
        settings = self.settings
        if not settings.outputs_in_workers:
            write_document(run.doc_dir, doc, settings.unit, settings.formats)
        items = build_queue(self.out_root, run.doc_dir, doc)
        if settings.keep_finished and not any(p.status is PageStatus.FAILED for p in doc.pages):
            # A document with a failed page is not finished: a rerun tries that page again.
            mark_finished(run.doc_dir, doc, self.options, settings.unit, settings.formats, len(items))
        return FileOutcome(run.path, doc, summarise(doc, run.path, run.doc_dir, run.resumed, len(items)))

    def _open_more(self, turn: int) -> None:
        slots = self.workers.slots
        while self.next_open < len(self.paths):
            index = self.next_open
            busy = self.pending >= QUEUED_PER_SLOT * slots or len(self.runs) > QUEUED_PER_SLOT * slots
            if index > turn and busy:
                return  # the file whose turn it is always opens; later ones when there is room
            path = self.paths[index]
            if any(run.path.stem == path.stem for run in self.runs.values()):
                return  # same output folder as a file still in flight: after it
            self.next_open += 1
            try:
                self._open(index, path)
            except RecoverError as exc:
                self.ready[index] = FileOutcome(path, error=exc)

    def _open(self, index: int, path: Path) -> None:
        """Check the file, reuse its finished pages and send the pages still to do."""
        doc, doc_dir = start_document(path, self.out_root, self.engine_name)
        with open_source(path, self.options) as source:
            wanted = wanted_pages(path, source.page_count, self.options)
        if self.settings.keep_finished and self.settings.resume:
            kept = finished_document(doc_dir, doc, self.options, self.settings.unit, self.settings.formats)
            if kept is not None:
                finished, items = kept
                summary = summarise(finished, path, doc_dir, len(finished.pages), items)
                self.ready[index] = FileOutcome(path, finished, summary, kept=True)
                return
        done = load_page_checkpoints(doc_dir, doc.sha256) if self.settings.resume else {}
        resumed = {n: done[n] for n in sorted(wanted) if n in done}
        run = _Run(index, path, doc_dir, doc, len(wanted), resumed, len(resumed))
        self.runs[index] = run
        self._show(run)
        todo = sorted(wanted - set(resumed))
        for number in todo:
            task = PageTask(index, path, doc.sha256, number, doc_dir, self.task_options, self.settings.debug)
            self._submit(task)
        if not todo:
            self._submit_document(run)

    def _take(self, result: Result) -> None:
        run = self.runs.get(result.doc_id)
        if run is None or run.doc_id in self.ready:
            return  # a late page of a file that already failed
        if result.failure is not None:
            self._fail(run, result.failure)
        elif isinstance(result, PageResult):
            assert result.page is not None
            run.pages[result.number] = result.page
            self._show(run)
            if len(run.pages) == run.wanted:
                self._submit_document(run)
        else:
            assert isinstance(result, DocumentResult) and result.document is not None
            self.ready[run.doc_id] = result.document

    def _submit(self, task: PageTask | DocumentTask) -> None:
        self.workers.submit(task)
        self.pending += 1

    def _submit_document(self, run: _Run) -> None:
        run.doc.pages = [run.pages[n] for n in sorted(run.pages)]
        export = (
            Export(self.settings.unit, self.settings.formats) if self.settings.outputs_in_workers else None
        )
        self._submit(DocumentTask(run.doc_id, run.doc, run.doc_dir, self.task_options, export))

    def _fail(self, run: _Run, failure: TaskFailure) -> None:
        self.ready[run.doc_id] = FileOutcome(run.path, error=WorkerError(failure))

    def _show(self, run: _Run) -> None:
        if self.progress is not None:
            self.progress(run.path, len(run.pages), run.wanted)
