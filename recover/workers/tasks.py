"""The picklable units of work, what they return, and the runner that does them.

A page task names the file, the page and the options; the worker renders that page, runs
the page stages under the page guard and its time limit (:func:`recover.pipeline.process_page`)
and keeps what the document stages need — the page's checkpoint, its prepared image and ink
mask (the check stage's re-reads), its overlay with ``--debug`` — in the document's folder,
each file atomically. A document task carries every page of a document and runs the
document stages over them (label → assemble → check), once, in one process; it writes the
document's outputs only when told to (on Ray), else the caller does. The review queue is
never written here: its one writer is the batch (:mod:`recover.batch`).
"""

from __future__ import annotations

import resource
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from recover.errors import ExitCode, RecoverError
from recover.export.formats import DEFAULT_FORMATS, OutputFormat
from recover.export.outputs import write_document
from recover.extract import document_stages, keep_page
from recover.ingest.source import SourceDocument
from recover.layout.regions import LayoutEngine
from recover.model import Document, Page, PageStatus
from recover.pipeline import ExtractOptions, LayoutDetection, PageStages, Stage, open_source, process_page
from recover.prepare.quarter_turn import QuarterTurnChooser
from recover.read.ocr.checked import checked
from recover.read.ocr.engine import LineRecognizer
from recover.read.ocr.factory import EngineSpec


@dataclass(frozen=True)
class Export:
    """The outputs a worker writes for a document (``tidy.csv``'s unit, the formats)."""

    unit: str | None = None
    formats: frozenset[OutputFormat] = DEFAULT_FORMATS


@dataclass(frozen=True)
class PageTask:
    """Run the page stages over page ``number`` of ``source`` and keep it in ``doc_dir``."""

    doc_id: int  # the file's place in the batch
    source: Path  # a path the worker can open
    sha256: str  # the file's hash: the checkpoint's key
    number: int
    doc_dir: Path
    options: ExtractOptions  # without a loaded layout engine: each worker loads its own
    debug: bool = False


@dataclass(frozen=True)
class DocumentTask:
    """Run the document stages over a document whose pages are all done."""

    doc_id: int
    document: Document
    doc_dir: Path
    options: ExtractOptions
    export: Export | None = None  # set: the worker writes the outputs too


@dataclass(frozen=True)
class TaskFailure:
    """Why a task produced nothing: the one-line message and the exit code it maps to."""

    message: str
    exit_code: ExitCode = ExitCode.INPUT_FILE


@dataclass(frozen=True)
class PageResult:
    """A page task's outcome: the page (possibly a failed page), or why the file failed."""

    doc_id: int
    number: int
    page: Page | None = None
    failure: TaskFailure | None = None
    peak_rss_mb: float = 0.0  # the worker process's peak memory so far


@dataclass(frozen=True)
class DocumentResult:
    """A document task's outcome."""

    doc_id: int
    document: Document | None = None
    failure: TaskFailure | None = None
    peak_rss_mb: float = 0.0


Task = PageTask | DocumentTask
Result = PageResult | DocumentResult


class Workers(Protocol):
    """Where tasks run. Results come back in any order; the caller matches them by id."""

    @property
    def slots(self) -> int:
        """How many tasks run at once."""
        ...

    def submit(self, task: Task) -> None:
        """Queue a task."""
        ...

    def collect(self) -> list[Result]:
        """Wait until at least one queued task is done and return what is done ([] if none queued)."""
        ...

    def close(self) -> None:
        """Stop the workers."""
        ...


class WorkerError(RecoverError):
    """A failure reported by a worker, with the exit code it maps to."""

    def __init__(self, failure: TaskFailure) -> None:
        super().__init__(failure.message)
        self.exit_code = failure.exit_code


@dataclass
class _OpenFile:
    sha256: str
    source: SourceDocument
    stages: list[Stage]


@dataclass
class TaskRunner:
    """One worker's engines, built at its first task, and the file it has open (pages of
    one file usually come one after another)."""

    spec: EngineSpec
    _reader: LineRecognizer | None = field(default=None, init=False)
    _layout: LayoutEngine | None = field(default=None, init=False)
    _turns: QuarterTurnChooser | None = field(default=None, init=False)
    _open: _OpenFile | None = field(default=None, init=False)

    @property
    def reader(self) -> LineRecognizer:
        """The OCR engine (loaded now when this is the first task that needs it)."""
        if self._reader is None:
            self._reader = checked(self.spec.build())
        return self._reader

    def run(self, task: Task) -> Result:
        """Run one task."""
        if isinstance(task, PageTask):
            return self.run_page(task)
        return self.run_document(task)

    def run_page(self, task: PageTask) -> PageResult:
        """Render and extract one page and keep it; a file that cannot be opened (or an
        output that cannot be written) is a failure, not an exception."""
        try:
            source, stages = self._source(task)
            render = partial(source.render, task.number)
            page, work = process_page(
                task.number, render, stages, task.options.dpi, task.options.page_timeout
            )
            keep_page(task.doc_dir, task.sha256, page, work, task.debug)
        except RecoverError as exc:
            return PageResult(task.doc_id, task.number, failure=failure_of(exc), peak_rss_mb=peak_rss_mb())
        return PageResult(task.doc_id, task.number, page, peak_rss_mb=peak_rss_mb())

    def run_document(self, task: DocumentTask) -> DocumentResult:
        """The document stages (and, when asked, the outputs) of one document."""
        doc = task.document
        try:
            document_stages(doc, task.doc_dir, self.reader, task.options)
            if task.export is not None:
                write_document(task.doc_dir, doc, task.export.unit, task.export.formats)
        except RecoverError as exc:
            return DocumentResult(task.doc_id, failure=failure_of(exc), peak_rss_mb=peak_rss_mb())
        return DocumentResult(task.doc_id, doc, peak_rss_mb=peak_rss_mb())

    def _source(self, task: PageTask) -> tuple[SourceDocument, list[Stage]]:
        if self._open is not None and self._open.sha256 == task.sha256:
            return self._open.source, self._open.stages
        self.close()
        options = task.options
        if options.layout is LayoutDetection.ON and self._layout is None:
            from recover.layout.regions import RapidLayoutEngine

            self._layout = RapidLayoutEngine(threads=self.spec.threads)
        layout = self._layout if options.layout is LayoutDetection.ON else None
        stages = PageStages(self.reader, options, task.source, layout)
        # The orientation classifier is loaded once per worker, not once per file.
        self._turns = self._turns or stages.turns
        stages.turns = self._turns
        self._open = _OpenFile(task.sha256, open_source(task.source, options), stages.in_order())
        return self._open.source, self._open.stages

    def close(self) -> None:
        """Let go of the open file."""
        if self._open is not None:
            self._open.source.close()
            self._open = None


def failure_of(exc: RecoverError) -> TaskFailure:
    """A picklable record of a tool error (its subclasses do not all unpickle)."""
    return TaskFailure(str(exc), exc.exit_code)


def lost(task: Task, why: str) -> Result:
    """The result of a task whose worker died every time it was tried: a failed page (the
    document goes on, a rerun tries it again), or a document that could not be finished."""
    if isinstance(task, PageTask):
        page = Page(task.number, 0, 0, task.options.dpi, status=PageStatus.FAILED, errors=[why])
        return PageResult(task.doc_id, task.number, page)
    return DocumentResult(task.doc_id, failure=TaskFailure(why, ExitCode.SOME_FAILED))


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    Linux's ``VmHWM``, which starts afresh in a new program; ``ru_maxrss`` would carry the
    peak of the process a worker was forked from.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "")
    return int(line.split()[1]) / 1024 if line else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
