"""Extract one input file into its output folder, resuming where an earlier run stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2

from recover.assemble.stitch import assemble_document
from recover.atomic_write import remove_stale_temporaries, write_atomic
from recover.check.stage import check_stage
from recover.check.tiers import assign_tiers
from recover.export.debug_overlay import draw_overlay
from recover.export.formats import DEFAULT_FORMATS, OutputFormat
from recover.export.outputs import document_dir, load_page_checkpoints, write_document, write_page_checkpoint
from recover.ingest.formats import name_note, sniff_format
from recover.ingest.source import file_sha256
from recover.label.stage import label_document
from recover.model import CellStatus, Document, Page, PageStatus, ProofTally, proof_of
from recover.pipeline import ExtractOptions, PageWork, iter_document
from recover.prepare.kept_pages import KeptPages
from recover.read.ocr.checked import checked
from recover.read.ocr.engine import LineRecognizer
from recover.read.reread import kept_page_rereader
from recover.review.build import build_queue

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
    page_errors: tuple[tuple[int, str], ...] = ()  # (page, error) of each failed page
    proof: ProofTally = field(default_factory=ProofTally)  # the amounts by trust tier


def extract_file(
    path: Path,
    out_root: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    debug: bool = False,
    resume: bool = True,
    progress: ProgressCallback | None = None,
    unit: str | None = None,
    formats: frozenset[OutputFormat] = DEFAULT_FORMATS,
) -> tuple[Document, ExtractSummary]:
    """Run the pipeline over ``path`` and write ``OUT/<stem>/``.

    Page stages (prepare, layout, read) run page by page with a checkpoint after each; the
    document stages follow once: label → assemble → check → export → review.
    Raises :class:`recover.errors.InputFileError` when the file cannot be read at all;
    a page that fails is recorded in ``result.json`` and the rest still comes out.
    """
    reader = checked(reader)  # every engine answer checked, the check stage's re-reads too
    doc, doc_dir = start_document(path, out_root, reader.name)
    resumed = _read_pages(doc, doc_dir, reader, options, debug, resume, progress)
    document_stages(doc, doc_dir, reader, options)
    write_document(doc_dir, doc, unit, formats)
    review_items = build_queue(out_root, doc_dir, doc)
    return doc, summarise(doc, path, doc_dir, resumed, len(review_items))


def start_document(path: Path, out_root: Path, engine: str) -> tuple[Document, Path]:
    """The empty document model of ``path`` (its hash, a note when its name misleads) and
    its output folder; a missing, unreadable or foreign file is refused before any output."""
    found = sniff_format(path)
    doc = Document(source=str(path), sha256=file_sha256(path), engine=engine)
    misnamed = name_note(path, found)
    if misnamed is not None:
        doc.notes.append(misnamed)
    doc_dir = document_dir(out_root, path)
    remove_stale_temporaries(doc_dir)  # what a killed run was writing; this run writes it anew
    return doc, doc_dir


def document_stages(doc: Document, doc_dir: Path, reader: LineRecognizer, options: ExtractOptions) -> None:
    """label → assemble → check, over every page of ``doc`` (re-reads from its kept pages)."""
    label_document(doc)
    assemble_document(doc)
    if options.check_totals:
        check_stage(doc, kept_page_rereader(doc, KeptPages(doc_dir), reader), complete=options.pages is None)
    else:
        assign_tiers(doc)  # no rule checked: every amount read clearly is unproven, none ``ok``


def _read_pages(
    doc: Document,
    doc_dir: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    debug: bool,
    resume: bool,
    progress: ProgressCallback | None,
) -> int:
    """The page stages over every page asked for (finished pages reused); how many resumed."""
    done = load_page_checkpoints(doc_dir, doc.sha256) if resume else {}
    resumed = 0
    pages = []
    for page, work, count in iter_document(path_of(doc), reader, options, done):
        if page.number in done:
            resumed += 1
        else:
            keep_page(doc_dir, doc.sha256, page, work, debug)
        pages.append(page)
        if progress is not None:
            progress(len(pages), len(options.pages) if options.pages else count)
    doc.pages = sorted(pages, key=lambda p: p.number)
    return resumed


def keep_page(doc_dir: Path, sha256: str, page: Page, work: PageWork | None, debug: bool) -> None:
    """Keep a finished page: its prepared image and ink mask (when it has tables), its
    checkpoint, and with ``debug`` its overlay. Each file is written atomically."""
    # A page that failed before it had an image has no work: only its checkpoint.
    prepared = work.prepared if work is not None else None
    if prepared is not None and page.tables:
        KeptPages(doc_dir).save(page.number, prepared.gray, prepared.mask)
    write_page_checkpoint(doc_dir, sha256, page)
    if debug and work is not None and prepared is not None:
        overlay = draw_overlay(prepared.gray, page, work.segments)
        ok, png = cv2.imencode(".png", overlay)
        if ok:
            write_atomic(doc_dir / "debug" / f"page-{page.number:04d}.png", png.tobytes())


def path_of(doc: Document) -> Path:
    """The input file a document model was read from."""
    return Path(doc.source)


def summarise(doc: Document, path: Path, doc_dir: Path, resumed: int, review_items: int) -> ExtractSummary:
    """The console's figures for one extracted file."""
    cells = [c for t in doc.tables for c in t.cells]
    summary = ExtractSummary(
        source=path,
        out_dir=doc_dir,
        pages=len(doc.pages),
        failed_pages=sum(1 for p in doc.pages if p.status is PageStatus.FAILED),
        tables=len(doc.tables),
        cells=sum(1 for c in cells if c.text),
        low_confidence=sum(1 for c in cells if c.status is CellStatus.LOW_CONFIDENCE),
        resumed_pages=resumed,
        constraints=sum(t.checks.found for t in doc.tables if t.checks),
        holding=sum(t.checks.holding for t in doc.tables if t.checks),
        repaired=sum(1 for c in cells if c.status is CellStatus.REPAIRED),
        flagged=sum(1 for c in cells if c.status is CellStatus.FLAGGED),
        inconsistencies=sum(len(t.checks.inconsistencies) for t in doc.tables if t.checks),
        review_items=review_items,
        notes=tuple(doc.notes),
        page_errors=tuple((p.number, e) for p in doc.pages for e in p.errors),
        proof=proof_of(doc.tables),
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
        notes=(*doc.notes, *doc.checks.notes),
    )
