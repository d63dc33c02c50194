"""The picklable units of work and what they return.

A page task names the file, the page and the options; the worker renders that page, runs
the page stages and returns the page model with the encoded images the parent keeps (the
prepared page for review crops, the debug overlay). A document task carries the pages and
their kept images and returns the document after header mapping, stitching and the
document checks. Workers never write outputs: the parent is the one writer.
"""

from __future__ import annotations

import resource
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from recover.assemble.stitch import stitch_document
from recover.check.document import check_document
from recover.errors import ExitCode, RecoverError
from recover.export.debug_overlay import draw_overlay
from recover.label.stage import map_document
from recover.model import Document, Page, PageStatus
from recover.pipeline import ExtractOptions, make_stages, open_source, process_source_page
from recover.read.ocr.engine import LineRecognizer
from recover.read.reread import saved_page_rereader
from recover.review.crops import encode_page_image


@dataclass(frozen=True)
class PageTask:
    """Extract page ``number`` of ``source`` (a path the worker can open)."""

    doc_id: int  # the file's place in the batch
    source: Path
    number: int
    options: ExtractOptions
    debug: bool = False


@dataclass(frozen=True)
class DocumentTask:
    """Run the document stages over a document whose pages are all extracted."""

    doc_id: int
    document: Document
    page_images: dict[int, bytes]  # kept prepared page images (JPEG) by page number
    options: ExtractOptions


@dataclass(frozen=True)
class TaskFailure:
    """Why a task produced nothing: the one-line message and the exit code it maps to."""

    message: str
    exit_code: ExitCode = ExitCode.INPUT_FILE


@dataclass(frozen=True)
class PageResult:
    """A page task's outcome."""

    doc_id: int
    number: int
    page: Page | None = None
    page_image: bytes | None = None  # the prepared page, JPEG, when it holds tables
    overlay: bytes | None = None  # PNG, with ``debug``
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


def run_task(reader: LineRecognizer, task: Task) -> Result:
    """Run one task with ``reader`` (the worker's engine)."""
    if isinstance(task, PageTask):
        return run_page(reader, task)
    return run_document(reader, task)


def run_page(reader: LineRecognizer, task: PageTask) -> PageResult:
    """Render and extract one page; an unreadable file is a failure, not an exception."""
    stages = make_stages(reader, task.options)
    try:
        with open_source(task.source, task.options) as source:
            page, work = process_source_page(source, task.number, stages)
    except RecoverError as exc:
        return PageResult(task.doc_id, task.number, failure=failure_of(exc), peak_rss_mb=peak_rss_mb())
    image = overlay = None
    if work.prepared is not None:
        if page.tables:
            image = encode_page_image(work.prepared.gray)
        if task.debug:
            ok, png = cv2.imencode(".png", draw_overlay(work.prepared.gray, page, work.segments))
            overlay = png.tobytes() if ok else None
    return PageResult(task.doc_id, task.number, page, image, overlay, peak_rss_mb=peak_rss_mb())


def run_document(reader: LineRecognizer, task: DocumentTask) -> DocumentResult:
    """Map headers, stitch tables over page breaks and run the checks between tables."""
    doc = task.document
    options = task.options
    map_document(doc)
    reread = saved_page_rereader(decoder(task.page_images), options.dpi, reader)
    stitch_document(doc, reread)
    if options.check_totals:
        check_document(doc, reread=reread, complete=options.pages is None)
    return DocumentResult(task.doc_id, doc, peak_rss_mb=peak_rss_mb())


def decoder(images: dict[int, bytes]) -> Callable[[int], np.ndarray | None]:
    """Page number → the kept page image, decoded to grayscale (None when not kept)."""

    def decode(page: int) -> np.ndarray | None:
        data = images.get(page)
        if data is None:
            return None
        gray: np.ndarray | None = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
        return gray

    return decode


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


def with_source(task: Task, source: Path) -> Task:
    """The same page task reading the file from ``source`` (a worker's own copy)."""
    return replace(task, source=source) if isinstance(task, PageTask) else task


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
