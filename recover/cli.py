"""The ``recover`` command line (thin: parsing, progress and messages only)."""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.progress import TaskID

from recover.errors import ExitCode, RecoverError
from recover.export.formats import OutputFormat, parse_formats
from recover.export.tidy import UNIT_FACTORS
from recover.time_limit import DEFAULT_PAGE_TIMEOUT

if TYPE_CHECKING:
    from recover.batch import BatchSettings
    from recover.extract import ExtractSummary
    from recover.layout.digital_engine import DigitalEngine
    from recover.layout.regions import LayoutEngine
    from recover.model import Document
    from recover.pipeline import ExtractOptions, LayoutDetection
    from recover.read.ocr.engine import LineRecognizer
    from recover.read.ocr.factory import EngineSpec
    from recover.workers.tasks import Workers

app = typer.Typer(add_completion=False, help="Recover checked tables from scanned Chinese financial filings.")


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
_JOBS_HELP = (
    "worker processes for the pages and files (default: the cores this process may use; 1: this process)"
)
_RAY_HELP = (
    "run on the Ray cluster at ADDRESS (HEAD:6379, ray://HEAD:10001, auto); without one, start one here"
)
LOCAL_RAY = "local"
"""``--ray`` with no address (or ``--ray local``): start a Ray cluster on this machine."""
RAY_ADDRESS = re.compile(r"local|auto|(ray://)?[\w.\-]+:\d+")
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


def _layout_detection(choice: str, here: bool) -> tuple[LayoutDetection, LayoutEngine | None]:
    from recover.layout.regions import RapidLayoutEngine, check_installed
    from recover.pipeline import LayoutDetection

    if choice not in [m.value for m in LayoutDetection]:
        typer.echo(f"error: --layout: '{choice}' is not one of on, off", err=True)
        raise typer.Exit(int(ExitCode.BAD_ARGS))
    if choice == LayoutDetection.OFF:
        return LayoutDetection.OFF, None
    try:
        if not here:  # each worker loads its own engine; a missing model is refused here, once
            check_installed()
            return LayoutDetection.ON, None
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
    jobs: Annotated[int | None, typer.Option(help=_JOBS_HELP, min=1)] = None,
    ray: Annotated[str | None, typer.Option("--ray", metavar="[ADDRESS]", help=_RAY_HELP)] = None,
) -> None:
    """Extract every ruled table of each input into OUT/<stem>/ (CSV per table + result.json)."""
    from recover.batch import BatchSettings
    from recover.pipeline import ExtractOptions, TextFrom
    from recover.read.ocr.rapid import usable_cores

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
    here = ray is None and (jobs or usable_cores()) == 1
    options.layout, options.layout_engine = _layout_detection(layout, here)
    settings = BatchSettings(debug=debug, resume=not fresh, unit=unit, formats=formats)
    if here:
        failures, last_code = _extract_here(inputs, out_dir, engine, model_dir, options, settings, verbose)
    else:
        failures, last_code = _extract_on_workers(
            inputs, out_dir, engine, model_dir, options, settings, verbose, jobs, ray
        )
    if failures:
        code = last_code if failures == len(inputs) and len(inputs) == 1 else ExitCode.SOME_FAILED
        raise typer.Exit(int(code))


def _extract_here(
    inputs: list[Path],
    out_dir: Path,
    engine: str,
    model_dir: Path | None,
    options: ExtractOptions,
    settings: BatchSettings,
    verbose: bool,
) -> tuple[int, ExitCode]:
    """``--jobs 1``: file after file in this process; returns (failures, last exit code)."""
    from recover.report import report_file

    try:
        reader = _make_reader(engine, model_dir)
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    failures, last_code = 0, ExitCode.OK
    for path in inputs:
        try:
            doc, summary = _extract_one(path, out_dir, reader, options, settings)
        except RecoverError as exc:
            failures, last_code = failures + 1, exc.exit_code
            typer.echo(f"error: {exc}", err=True)
            continue
        report_file(path, doc, summary, out_dir, verbose)
        if summary.failed_pages:
            failures, last_code = failures + 1, ExitCode.SOME_FAILED
    return failures, last_code


def _extract_on_workers(
    inputs: list[Path],
    out_dir: Path,
    engine: str,
    model_dir: Path | None,
    options: ExtractOptions,
    settings: BatchSettings,
    verbose: bool,
    jobs: int | None,
    ray: str | None,
) -> tuple[int, ExitCode]:
    """``--jobs N`` or ``--ray``: pages and files over worker processes, outputs in input order."""
    from recover.batch import extract_batch
    from recover.report import BatchBars, progress_bar, report_file

    spec = _engine_spec(engine, model_dir)
    if ray is not None:
        settings = replace(settings, outputs_in_workers=True, keep_finished=True)
    workers = _make_workers(spec, jobs, ray)  # each worker loads the engine at its first page
    failures, last_code = 0, ExitCode.OK
    try:
        with progress_bar() as bar:
            bars = BatchBars(bar)
            for outcome in extract_batch(inputs, out_dir, workers, spec.name, options, settings, bars.show):
                bars.done(outcome.path)
                if outcome.error is not None:
                    failures, last_code = failures + 1, outcome.error.exit_code
                    typer.echo(f"error: {outcome.error}", err=True)
                    continue
                assert outcome.document is not None and outcome.summary is not None
                report_file(outcome.path, outcome.document, outcome.summary, out_dir, verbose, outcome.kept)
                if outcome.summary.failed_pages:
                    failures, last_code = failures + 1, ExitCode.SOME_FAILED
    finally:
        workers.close()
    return failures, last_code


def _engine_spec(engine: str, model_dir: Path | None) -> EngineSpec:
    from recover.read.ocr.factory import EngineSpec

    try:
        return EngineSpec.parse(engine, model_dir)
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None


def _make_workers(spec: EngineSpec, jobs: int | None, ray: str | None) -> Workers:
    from recover.workers import make_workers

    if ray is not None and not RAY_ADDRESS.fullmatch(ray):
        _refuse(f"--ray: '{ray}' is not a cluster address (HEAD:6379, ray://HEAD:10001, auto, or local)")
    try:
        return make_workers(spec, jobs, ray, ray == LOCAL_RAY)
    except RecoverError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None


def _refuse(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(int(ExitCode.BAD_ARGS))


def _extract_one(
    path: Path, out_dir: Path, reader: LineRecognizer, options: ExtractOptions, settings: BatchSettings
) -> tuple[Document, ExtractSummary]:
    """One file through the pipeline in this process, with a progress bar on a terminal."""
    from recover.extract import extract_file
    from recover.report import progress_bar

    with progress_bar() as bar:
        task = bar.add_task(path.name, total=None)

        def show(done: int, total: int, task: TaskID = task) -> None:
            bar.update(task, completed=done, total=total)

        return extract_file(
            path,
            out_dir,
            reader,
            options,
            debug=settings.debug,
            resume=settings.resume,
            progress=show,
            unit=settings.unit,
            formats=settings.formats,
        )


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


def with_ray_address(argv: list[str]) -> list[str]:
    """A bare ``--ray`` (last, or before another option) gets ``local`` filled in (the parser needs one)."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--ray" and (i + 1 == len(args) or args[i + 1].startswith("-")):
            args.insert(i + 1, LOCAL_RAY)
            break
    return args


def main() -> None:
    """Console-script entry point."""
    try:
        app(args=with_ray_address(sys.argv[1:]))
    except KeyboardInterrupt:
        typer.echo("interrupted; finished pages are kept and a rerun resumes after them", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
