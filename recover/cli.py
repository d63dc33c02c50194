"""The ``recover`` command line (thin: parsing, progress and messages only)."""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from recover.errors import ExitCode, RecoverError
from recover.export.tidy import UNIT_FACTORS

if TYPE_CHECKING:
    from recover.extract import ExtractSummary, OutputSettings
    from recover.model import Document
    from recover.pipeline import ExtractOptions
    from recover.read.ocr.factory import EngineSpec
    from recover.workers.tasks import Workers

app = typer.Typer(add_completion=False, help="Recover checked tables from scanned Chinese financial filings.")
# Rich only draws the progress bar; messages are plain lines that never wrap.
err = Console(stderr=True)
LOCAL_RAY = "local"
"""``--ray local`` (or ``--ray`` with no address): start a Ray cluster on this machine."""
RAY_ADDRESS = re.compile(r"local|auto|(ray://)?[\w.\-]+:\d+")


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


def _cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
    fresh: Annotated[
        bool, typer.Option("--fresh", help="ignore pages and documents finished by an earlier run")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="per-table check figures")] = False,
    unit: Annotated[
        str | None, typer.Option(help="convert tidy.csv amounts to this unit: 元, 千元, 万元 or 亿元")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            help="worker processes (default: this machine's cores; with --ray, the cluster's)", min=1
        ),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="run on the Ray cluster at HEAD:6379 (or ray://HEAD:10001, auto); 'local' starts one here",
        ),
    ] = None,
) -> None:
    """Extract every ruled table of each input into OUT/<stem>/ (CSV per table + result.json)."""
    from recover.extract import OutputSettings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    options = _checked_options(dpi, pages, source, unit)
    spec = _checked_engine(engine, model_dir)
    settings = OutputSettings(debug=debug, resume=not fresh, unit=unit)
    # The engine loads in the workers, at their first page: arguments and inputs are checked by then.
    workers = _make_workers(spec, jobs, ray)
    try:
        failures, last_code = _run_batch(inputs, out_dir, workers, spec.name, options, settings, verbose)
    finally:
        workers.close()
    if failures:
        code = last_code if failures == len(inputs) and len(inputs) == 1 else ExitCode.SOME_FAILED
        raise typer.Exit(int(code))


def _fail(message: str, code: ExitCode = ExitCode.BAD_ARGS) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(int(code))


def _checked_options(dpi: int, pages: str | None, source: str, unit: str | None) -> ExtractOptions:
    from recover.pipeline import ExtractOptions

    if unit is not None and unit not in UNIT_FACTORS:
        _fail(f"--unit: '{unit}' is not one of {', '.join(UNIT_FACTORS)}")
    if source not in ("auto", "text", "ocr"):
        _fail(f"--source: '{source}' is not one of auto, text, ocr")
    return ExtractOptions(dpi=dpi, pages=_parse_pages(pages), source=source)


def _checked_engine(engine: str, model_dir: Path | None) -> EngineSpec:
    from recover.read.ocr.factory import EngineSpec

    try:
        return EngineSpec.parse(engine, model_dir)
    except RecoverError as exc:
        _fail(str(exc), exc.exit_code)


def _make_workers(spec: EngineSpec, jobs: int | None, ray: str | None) -> Workers:
    """In this process for one job, else a process pool, or Ray; each gets its share of cores."""
    from recover.read.ocr.factory import threads_per_worker

    if ray is not None:
        from recover.workers.ray_cluster import RayWorkers

        if not RAY_ADDRESS.fullmatch(ray):
            _fail(f"--ray: '{ray}' is not a cluster address (HEAD:6379, ray://HEAD:10001, auto, or local)")

        try:
            return RayWorkers(spec, None if ray == LOCAL_RAY else ray, jobs)
        except RecoverError as exc:
            _fail(str(exc), exc.exit_code)
    from recover.workers.local import InlineWorkers, PoolWorkers

    cores = _cores()
    jobs = jobs or cores
    spec = replace(spec, threads=threads_per_worker(jobs, cores))
    return InlineWorkers(spec) if jobs == 1 else PoolWorkers(spec, jobs)


def _run_batch(
    inputs: list[Path],
    out_dir: Path,
    workers: Workers,
    engine_name: str,
    options: ExtractOptions,
    settings: OutputSettings,
    verbose: bool,
) -> tuple[int, ExitCode]:
    """Extract every input, reporting each as it is written; returns (failures, last exit code)."""
    from recover.batch import extract_batch

    failures = 0
    last_code = ExitCode.OK
    with _BatchBar() as bar:
        for outcome in extract_batch(inputs, out_dir, workers, engine_name, options, settings, bar.show):
            bar.done(outcome.path)
            if outcome.error is not None:
                failures += 1
                last_code = outcome.error.exit_code
                typer.echo(f"error: {outcome.error}", err=True)
                continue
            assert outcome.summary is not None and outcome.document is not None
            _report(outcome.summary, out_dir)
            if verbose:
                _report_tables(outcome.document)
            if outcome.summary.failed_pages:
                failures += 1
                last_code = ExitCode.SOME_FAILED
    return failures, last_code


class _BatchBar:
    """A transient progress bar per file in flight (drawn only on a terminal)."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        self._tasks: dict[Path, TaskID] = {}

    def __enter__(self) -> _BatchBar:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)

    def show(self, path: Path, done: int, total: int) -> None:
        """Pages done of one file."""
        if path not in self._tasks:
            self._tasks[path] = self._progress.add_task(path.name, total=total)
        self._progress.update(self._tasks[path], completed=done, total=total)

    def done(self, path: Path) -> None:
        """The file is written: its bar goes."""
        task = self._tasks.pop(path, None)
        if task is not None:
            self._progress.remove_task(task)


def _report(summary: ExtractSummary, out_dir: Path) -> None:
    resumed = f", {summary.resumed_pages} resumed" if summary.resumed_pages else ""
    if summary.outputs_kept:
        resumed += " (finished before with the same options: outputs kept; --fresh redoes it)"
    failed = f", {summary.failed_pages} FAILED (see result.json)" if summary.failed_pages else ""
    typer.echo(
        f"{summary.source}: {summary.pages} pages{resumed}{failed}, {summary.tables} tables, "
        f"{summary.cells} cells → {summary.out_dir}\n"
        f"  totals: {summary.holding}/{summary.constraints} constraints hold, "
        f"{summary.repaired} digits repaired, {summary.flagged} cells flagged, "
        f"{summary.low_confidence} low-confidence text cells, "
        f"{summary.inconsistencies} source inconsistencies"
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
    typer.echo(f"  review: {summary.review_items} items queued; `recover review {out_dir}` opens them")


def _report_tables(doc: Document) -> None:
    for table in doc.tables:
        if table.checks is not None:
            c = table.checks
            mapped = sum(1 for m in table.columns if m.status == "mapped")
            typer.echo(
                f"  table {table.index + 1} on page {table.page} "
                f"({table.meta.form or 'form unknown'}): "
                f"{c.found} constraints, {c.holding} hold, {c.repaired} repaired, "
                f"{c.unresolved} unresolved; columns {mapped}/{len(table.columns)} mapped"
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
) -> None:
    """Rewrite CSVs, tidy.csv and result.json of OUT/ with the review decisions applied."""
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
    queue = ReviewQueue(out_dir)
    try:
        written = export_reviewed(out_dir, queue, unit)
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
    """``--ray`` with no address (last, or before another option) means ``--ray local``:
    typer options cannot leave their value out."""
    given = list(argv)
    for i, arg in enumerate(given):
        if arg == "--ray" and (i + 1 == len(given) or given[i + 1].startswith("-")):
            given.insert(i + 1, LOCAL_RAY)
            break
    return given


def main() -> None:
    """Console-script entry point."""
    try:
        app(args=with_ray_address(sys.argv[1:]))
    except KeyboardInterrupt:
        typer.echo("interrupted; finished pages are kept and a rerun resumes after them", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
