"""Extract input files into their output folders, resuming where an earlier run stopped.

The parent process is the one writer: it opens each file, hands its pages to the workers,
saves what comes back (page checkpoints, page images, overlays) and, once the document
stages have run, writes the document's outputs and its review items.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from recover.export.outputs import (
    document_dir,
    load_page_checkpoints,
    write_atomic,
    write_document,
    write_json,
    write_page_checkpoint,
)
from recover.ingest.source import sniff_format
from recover.model import CellStatus, Document, Page, PageStatus
from recover.pipeline import ExtractOptions, new_document, open_source, wanted_pages
from recover.read.ocr.engine import LineRecognizer
from recover.review.build import build_queue
from recover.review.crops import page_image_path
from recover.review.queue import DB_NAME
from recover.workers.tasks import DocumentTask, PageResult, PageTask, TaskFailure

FINISHED = "finished.json"
"""Written last for a document: the run's key (file hash, engine, options) and its review items."""

ProgressCallback = Callable[[int, int], None]
"""Called as (pages done, page count) after each page."""


@dataclass(frozen=True)
class ExtractSummary:
    """What one file yielded, for the console."""

    source: Path
    out_dir: Path
    pages: int
    failed_pages: int
    tables: int
    cells: int
    low_confidence: int
    resumed_pages: int
    constraints: int
    holding: int
    repaired: int
    flagged: int
    inconsistencies: int
    review_items: int
    document_rules: int = 0
    document_holding: int = 0
    document_inconsistencies: int = 0
    statements: int = 0
    statements_holding: int = 0
    statement_inconsistencies: int = 0
    publication: str = ""
    missing_forms: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    outputs_kept: bool = False  # finished by an earlier run with the same file and options


@dataclass(frozen=True)
class OutputSettings:
    """How outputs are written: overlays, resuming from checkpoints, the unit of tidy.csv."""

    debug: bool = False
    resume: bool = True
    unit: str | None = None


@dataclass
class DocumentRun:
    """One input file on its way through the workers."""

    doc_id: int
    path: Path
    doc_dir: Path
    doc: Document
    page_count: int
    wanted: int  # pages asked for that the file has
    pages: dict[int, Page] = field(default_factory=dict)  # finished so far, resumed ones included
    resumed: int = 0
    failure: TaskFailure | None = None
    kept: Document | None = None  # finished before with the same file and options: nothing to do
    kept_review_items: int = 0

    @property
    def pages_done(self) -> bool:
        """Whether every wanted page is back."""
        return len(self.pages) == self.wanted


def open_document(
    doc_id: int,
    path: Path,
    out_root: Path,
    engine_name: str,
    options: ExtractOptions,
    settings: OutputSettings,
) -> tuple[DocumentRun, list[PageTask]]:
    """Check the file, reuse its finished pages and list the page tasks still to do.

    Raises :class:`recover.errors.InputFileError` when the file cannot be read at all,
    before any output is written.
    """
    sniff_format(path)  # a missing, unreadable or foreign file is refused before any output
    with open_source(path, options) as source:
        page_count = source.page_count
    wanted = wanted_pages(path, page_count, options)
    doc = new_document(path, engine_name)
    doc_dir = document_dir(out_root, path)
    if settings.resume:
        kept = _kept_document(doc_dir, run_key(doc, options, settings))
        if kept is not None:
            doc, items = kept
            run = DocumentRun(doc_id, path, doc_dir, doc, page_count, len(wanted), resumed=len(doc.pages))
            run.kept, run.kept_review_items = doc, items
            return run, []
    done = load_page_checkpoints(doc_dir, doc.sha256) if settings.resume else {}
    resumed = {n: done[n] for n in wanted if n in done}
    run = DocumentRun(doc_id, path, doc_dir, doc, page_count, len(wanted), resumed, len(resumed))
    todo = sorted(wanted - set(resumed))
    return run, [PageTask(doc_id, path, n, options, settings.debug) for n in todo]


def save_page(run: DocumentRun, result: PageResult) -> None:
    """Keep a finished page: its image for review crops, its overlay, then its checkpoint."""
    if result.failure is not None:
        run.failure = run.failure or result.failure
        return
    page = result.page
    assert page is not None
    if result.page_image is not None:
        write_atomic(page_image_path(run.doc_dir, page.number), result.page_image)
    write_page_checkpoint(run.doc_dir, run.doc.sha256, page)
    if result.overlay is not None:
        write_atomic(run.doc_dir / "debug" / f"page-{page.number:04d}.png", result.overlay)
    run.pages[page.number] = page


def document_task(run: DocumentRun, options: ExtractOptions) -> DocumentTask:
    """The document stages' task: the pages in order and the kept images of those with tables."""
    run.doc.pages = [run.pages[n] for n in sorted(run.pages)]
    images = {}
    for page in run.doc.pages:
        path = page_image_path(run.doc_dir, page.number)
        if page.tables and path.is_file():
            images[page.number] = path.read_bytes()
    return DocumentTask(run.doc_id, run.doc, images, options)


def finish_document(
    run: DocumentRun, doc: Document, out_root: Path, options: ExtractOptions, settings: OutputSettings
) -> ExtractSummary:
    """Write the document's outputs and replace its review items (the parent only); last,
    ``finished.json`` records that a rerun with the same file and options has nothing to do."""
    write_document(run.doc_dir, doc, settings.unit)
    review_items = build_queue(out_root, run.doc_dir, doc)
    record = {"key": run_key(doc, options, settings), "review_items": len(review_items)}
    write_json(run.doc_dir / FINISHED, record)
    return summarize(run, doc, len(review_items))


def run_key(doc: Document, options: ExtractOptions, settings: OutputSettings) -> dict[str, Any]:
    """Everything a document's outputs depend on: the file's hash, the engine, every option."""
    chosen = {**asdict(options), "pages": sorted(options.pages) if options.pages else None}
    key = {"sha256": doc.sha256, "engine": doc.engine, **chosen, **asdict(settings)}
    key.pop("resume")
    normalised: dict[str, Any] = json.loads(json.dumps(key, default=str))
    return normalised


def _kept_document(doc_dir: Path, key: dict[str, Any]) -> tuple[Document, int] | None:
    """The document an earlier run finished with this key and no failed page, and its review
    item count."""
    if not (doc_dir.parent / DB_NAME).is_file():
        return None  # the review queue is gone: its items must be made again
    try:
        record = json.loads((doc_dir / FINISHED).read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        result = json.loads((doc_dir / "result.json").read_text(encoding="utf-8"))
        if result.get("sha256") != key["sha256"]:
            return None
        doc = Document.from_dict(result)
        items = int(record["review_items"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: the document is simply done again
    if any(page.status is PageStatus.FAILED for page in doc.pages):
        return None  # its failed pages are tried again
    return doc, items


def summarize(run: DocumentRun, doc: Document, review_items: int) -> ExtractSummary:
    """What the console says about one file."""
    cells = [c for t in doc.tables for c in t.cells]
    summary = ExtractSummary(
        source=run.path,
        out_dir=run.doc_dir,
        pages=len(doc.pages),
        failed_pages=sum(1 for p in doc.pages if p.status is PageStatus.FAILED),
        tables=len(doc.tables),
        cells=sum(1 for c in cells if c.text),
        low_confidence=sum(1 for c in cells if c.status is CellStatus.LOW_CONFIDENCE),
        resumed_pages=run.resumed,
        constraints=sum(t.checks.found for t in doc.tables if t.checks),
        holding=sum(t.checks.holding for t in doc.tables if t.checks),
        repaired=sum(1 for c in cells if c.status is CellStatus.REPAIRED),
        flagged=sum(1 for c in cells if c.status is CellStatus.FLAGGED),
        inconsistencies=sum(len(t.checks.inconsistencies) for t in doc.tables if t.checks),
        review_items=review_items,
        outputs_kept=run.kept is not None,
    )
    if doc.checks is None:
        return summary
    return replace(
        summary,
        document_rules=doc.checks.found,
        document_holding=doc.checks.holding,
        document_inconsistencies=doc.checks.inconsistencies,
        statements=doc.checks.statements,
        statements_holding=doc.checks.statements_holding,
        statement_inconsistencies=doc.checks.statement_inconsistencies,
        publication=doc.checks.publication,
        missing_forms=tuple(doc.checks.missing_forms),
        notes=tuple(doc.checks.notes),
        outputs_kept=run.kept is not None,
    )


def extract_file(
    path: Path,
    out_root: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    debug: bool = False,
    resume: bool = True,
    progress: ProgressCallback | None = None,
    unit: str | None = None,
) -> tuple[Document, ExtractSummary]:
    """Run the pipeline over ``path`` in this process and write ``OUT/<stem>/``.

    Raises :class:`recover.errors.InputFileError` when the file cannot be read at all;
    a page that fails is recorded in ``result.json`` and the rest still comes out.
    """
    from recover.batch import extract_batch
    from recover.workers.local import InlineWorkers

    def show(_: Path, done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)

    settings = OutputSettings(debug=debug, resume=resume, unit=unit)
    outcome = next(
        extract_batch([path], out_root, InlineWorkers(reader=reader), reader.name, options, settings, show)
    )
    if outcome.error is not None:
        raise outcome.error
    assert outcome.document is not None and outcome.summary is not None
    return outcome.document, outcome.summary
