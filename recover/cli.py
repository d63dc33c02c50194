"""The ``recover`` command line (thin: parsing, progress and messages only)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from recover.errors import ExitCode, RecoverError
from recover.export.formats import OutputFormat, parse_formats
from recover.export.tidy import UNIT_FACTORS
from recover.model.proof import coverage_text, table_proof
from recover.time_limit import DEFAULT_PAGE_TIMEOUT

if TYPE_CHECKING:
    from recover.extract import ExtractSummary
    from recover.layout.digital_engine import DigitalEngine
    from recover.layout.regions import LayoutEngine
    from recover.model import Document
    from recover.pipeline import ExtractOptions, LayoutDetection
    from recover.read.ocr.engine import LineRecognizer

app = typer.Typer(add_completion=False, help="Recover checked tables from scanned Chinese financial filings.")
# Rich only draws the progress bar; messages are plain lines that never wrap.
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Recover checked tables from scanned Chinese financial filings."""


def _parse_pages(spec: str | None) -> set[int] | None:
    if not spec:
        return None
    pages: set[int] = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise typer.BadParameter(f"--pages: '{part}' is not a page number or range like 3-5")
        first, last = int(lo), int(hi or lo)
        if first < 1 or last < first:
            raise typer.BadParameter(f"--pages: '{part}' is not a range of pages (they count from 1)")
        pages.update(range(first, last + 1))
    return pages


_DIGITAL_HELP = (
    "tables of text-layer pages from: auto (own grid; camelot stream where no vertical rules), "
    "recover (own grid only), camelot (camelot for all: lattice where ruled)"
)
_LAYOUT_HELP = "layout detection (rapid-layout) guides table finding on scanned pages: on or off"
_FORMAT_HELP = "outputs: csv (tables, tidy.csv, findings.csv), xlsx (a workbook), json (result.json, always)"


def _formats(spec: str) -> frozenset[OutputFormat]:
    try:
        return parse_formats(spec)
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS)) from None


def _digital_engine(name: str) -> DigitalEngine:
    from recover.layout.camelot_tables import require_camelot
    from recover.layout.digital_engine import DigitalEngine

    names = [e.value for e in DigitalEngine]
    if name not in names:
        typer.echo(f"error: --digital-engine: '{name}' is not one of {', '.join(names)}", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    if name != DigitalEngine.RECOVER:
        try:
            require_camelot()
        except RecoverError as exc:
            typer.echo(f"error: --digital-engine {name}: {exc}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
    return DigitalEngine(name)


def _layout_detection(choice: str) -> tuple[LayoutDetection, LayoutEngine | None]:
    from recover.layout.regions import RapidLayoutEngine
    from recover.pipeline import LayoutDetection

    if choice not in [m.value for m in LayoutDetection]:
        typer.echo(f"error: --layout: '{choice}' is not one of on, off", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    if choice == LayoutDetection.OFF:
        return LayoutDetection.OFF, None
    try:
        return LayoutDetection.ON, RapidLayoutEngine()
    except RecoverError as exc:
        typer.echo(f"error: --layout on: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None


def _make_reader(engine: str, model_dir: Path | None):  # type: ignore[no-untyped-def]
    if engine == "rapidocr":
        from recover.read.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine()
    if engine == "paddleocr":
        from recover.read.ocr.paddle import PaddleOcrEngine

        if model_dir is None:
            raise RecoverError(
                "--engine paddleocr needs --model-dir pointing at a local PP-OCR rec model folder"
            )
        return PaddleOcrEngine(model_dir)
    raise RecoverError(f"--engine: unknown engine '{engine}' (choose rapidocr or paddleocr)")


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="PDF, PNG, JPEG or TIFF files")],
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    dpi: Annotated[int, typer.Option(help="rendering resolution for PDF pages", min=72, max=600)] = 200,
    pages: Annotated[str | None, typer.Option(help="only these pages, e.g. 1,3-5")] = None,
    engine: Annotated[str, typer.Option(help="OCR engine: rapidocr (default) or paddleocr")] = "rapidocr",
    model_dir: Annotated[Path | None, typer.Option(help="local model folder for --engine paddleocr")] = None,
    source: Annotated[
        str, typer.Option(help="cell text from: auto (text layer where trustworthy), text (never OCR), ocr")
    ] = "auto",
    debug: Annotated[bool, typer.Option("--debug", help="write overlays of rules and cells")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="ignore pages finished by an earlier run")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="per-table check figures")] = False,
    unit: Annotated[
        str | None, typer.Option(help="convert tidy.csv amounts to this unit: 元, 千元, 万元 or 亿元")
    ] = None,
    output_formats: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "csv",
    digital_engine: Annotated[str, typer.Option(help=_DIGITAL_HELP)] = "auto",
    page_timeout: Annotated[
        float, typer.Option(help="seconds a page may take before it is stopped (failed); 0: no limit", min=0)
    ] = DEFAULT_PAGE_TIMEOUT,
    layout: Annotated[str, typer.Option(help=_LAYOUT_HELP)] = "on",
) -> None:
    """Extract every ruled table of each input into OUT/<stem>/ (CSV per table + result.json)."""
    from recover.pipeline import ExtractOptions, TextFrom

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if unit is not None and unit not in UNIT_FACTORS:
        _refuse(f"--unit: '{unit}' is not one of {', '.join(UNIT_FACTORS)}")
    if source not in ("auto", "text", "ocr"):
        _refuse(f"--source: '{source}' is not one of auto, text, ocr")
    options = ExtractOptions(
        dpi=dpi, pages=_parse_pages(pages), source=TextFrom(source), page_timeout=page_timeout or None
    )
    options.digital_engine = _digital_engine(digital_engine)
    formats = _formats(output_formats)
    # The engines load (seconds) only once every argument is known to be good.
    options.layout, options.layout_engine = _layout_detection(layout)
    try:
        reader = _make_reader(engine, model_dir)
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    failures, last_code = 0, ExitCode.OK
    for path in inputs:
        try:
            doc, summary = _extract_one(path, out_dir, reader, options, debug, not fresh, unit, formats)
        except RecoverError as exc:
            failures, last_code = failures + 1, exc.exit_code
            typer.echo(f"error: {exc}", err=True)
            continue
        _report(path, doc, summary, out_dir, verbose)
        if summary.failed_pages:
            failures, last_code = failures + 1, ExitCode.SOME_FAILED
    if failures:
        code = last_code if failures == len(inputs) and len(inputs) == 1 else ExitCode.SOME_FAILED
        raise typer.Exit(int(code))


def _refuse(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(int(ExitCode.BAD_ARGS))


def _extract_one(
    path: Path,
    out_dir: Path,
    reader: LineRecognizer,
    options: ExtractOptions,
    debug: bool,
    resume: bool,
    unit: str | None,
    formats: frozenset[OutputFormat],
) -> tuple[Document, ExtractSummary]:
    """One file through the pipeline, with a progress bar on a terminal."""
    from recover.extract import extract_file

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(path.name, total=None)

        def show(done: int, total: int, task: TaskID = task) -> None:
            bar.update(task, completed=done, total=total)

        return extract_file(
            path,
            out_dir,
            reader,
            options,
            debug=debug,
            resume=resume,
            progress=show,
            unit=unit,
            formats=formats,
        )


def _report(path: Path, doc: Document, summary: ExtractSummary, out_dir: Path, verbose: bool) -> None:
    """The console lines of one extracted file."""
    resumed = f", {summary.resumed_pages} resumed" if summary.resumed_pages else ""
    failed = f", {summary.failed_pages} FAILED (see result.json)" if summary.failed_pages else ""
    typer.echo(
        f"{path}: {summary.pages} pages{resumed}{failed}, {summary.tables} tables, "
        f"{summary.cells} cells → {summary.out_dir}\n"
        f"  totals: {summary.holding}/{summary.constraints} constraints hold, "
        f"{summary.repaired} digits repaired, {summary.flagged} cells flagged, "
        f"{summary.low_confidence} low-confidence text cells, "
        f"{summary.inconsistencies} source inconsistencies\n"
        f"  {coverage_text(summary.proof)}"
    )
    if summary.document_rules or summary.publication:
        typer.echo(
            f"  across tables: {summary.document_holding}/{summary.document_rules} rules hold, "
            f"{summary.document_inconsistencies} source inconsistencies"
        )
    if summary.statements:
        left = summary.statements - summary.statements_holding - summary.statement_inconsistencies
        undecided = f", {left} undecided (a figure or line not read surely)" if left else ""
        typer.echo(
            f"  text vs tables: {summary.statements_holding}/{summary.statements} stated amounts agree, "
            f"{summary.statement_inconsistencies} source inconsistencies{undecided}"
        )
    if summary.missing_forms:
        typer.echo(f"  forms missing from this {summary.publication}: {'、'.join(summary.missing_forms)}")
    for note in summary.notes:
        typer.echo(f"  note: {note}")
    for number, error in summary.page_errors:
        typer.echo(f"error: {path}: page {number}: {error}", err=True)
    typer.echo(f"  review: {summary.review_items} items queued; `recover review {out_dir}` opens them")
    if verbose:
        _report_tables(doc)


def _report_tables(doc: Document) -> None:
    for table in doc.tables:
        if table.checks is not None:
            c = table.checks
            mapped = sum(1 for m in table.columns if m.status == "mapped")
            typer.echo(
                f"  table {table.index + 1} on page {table.page} ({table.meta.form or 'form unknown'}): "
                f"{c.found} constraints, {c.holding} hold, {c.repaired} repaired, "
                f"{c.unresolved} unresolved; columns {mapped}/{len(table.columns)} mapped; "
                f"proof {100 * table_proof(table).coverage:.1f}%"
            )
        for flag in table.flags:
            typer.echo(f"    structure: {flag.message}")


@app.command()
def review(
    out_dir: Annotated[Path, typer.Argument(help="output folder of `recover extract`")],
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8765,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="allow an address other than this machine (adds a token)")
    ] = False,
    unit: Annotated[str | None, typer.Option(help="tidy.csv unit used by the page's export")] = None,
) -> None:
    """Open the review queue of OUT/ as a local web page (one uncertain cell at a time)."""
    import uvicorn

    from recover.review.queue import DB_NAME
    from recover.review.server import create_app, new_token

    if not (out_dir / DB_NAME).is_file():
        typer.echo(
            f"error: {out_dir}: no review queue here (run `recover extract ... -o {out_dir}` first)", err=True
        )
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    local = host in ("127.0.0.1", "localhost", "::1")
    if not local and not allow_remote:
        typer.echo(f"error: --host {host}: serving beyond this machine needs --allow-remote", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    token = None if local else new_token()
    url = f"http://{host}:{port}/" + (f"?token={token}" if token else "")
    typer.echo(f"review page: {url}  (Ctrl+C stops; every decision is already saved)")
    uvicorn.run(create_app(out_dir, token=token, unit=unit), host=host, port=port, log_level="warning")


@app.command(name="export")
def export_command(
    out_dir: Annotated[Path, typer.Argument(help="output folder of `recover extract`")],
    unit: Annotated[
        str | None, typer.Option(help="convert tidy.csv amounts to this unit: 元, 千元, 万元 or 亿元")
    ] = None,
    output_formats: Annotated[
        str | None, typer.Option("--format", help="outputs to write (default: those extract wrote)")
    ] = None,
) -> None:
    """Rewrite the outputs of OUT/ (CSVs, workbook, result.json) with the review decisions applied."""
    from recover.review.decisions import export_reviewed
    from recover.review.queue import DB_NAME, ReviewQueue

    if not (out_dir / DB_NAME).is_file():
        typer.echo(
            f"error: {out_dir}: no review queue here (run `recover extract ... -o {out_dir}` first)", err=True
        )
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    if unit is not None and unit not in UNIT_FACTORS:
        typer.echo(f"error: --unit: '{unit}' is not one of {', '.join(UNIT_FACTORS)}", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    formats = None if output_formats is None else _formats(output_formats)
    queue = ReviewQueue(out_dir)
    try:
        written = export_reviewed(out_dir, queue, unit, formats)
        counts = queue.counts()
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    finally:
        queue.close()
    typer.echo(
        f"{out_dir}: {len(written)} document(s) rewritten; {counts['decided']} decisions applied, "
        f"{counts['resolved']} cells settled by totals, {counts['open']} items still open"
    )


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted; finished pages are kept and a rerun resumes after them", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
