"""What the console says about each extracted file, and the progress bars of a batch."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from recover.extract import ExtractSummary
from recover.model import Document
from recover.model.proof import coverage_text, table_proof

# Rich only draws the progress bar; messages are plain lines that never wrap.
err = Console(stderr=True)


def progress_bar() -> Progress:
    """A transient progress bar on stderr, drawn only on a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


class BatchBars:
    """A bar per file in flight."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._tasks: dict[Path, TaskID] = {}

    def show(self, path: Path, done: int, total: int) -> None:
        """Pages done of one file."""
        if path not in self._tasks:
            self._tasks[path] = self._bar.add_task(path.name, total=total)
        self._bar.update(self._tasks[path], completed=done, total=total)

    def done(self, path: Path) -> None:
        """The file is finished: its bar goes."""
        task = self._tasks.pop(path, None)
        if task is not None:
            self._bar.remove_task(task)


def report_file(
    path: Path, doc: Document, summary: ExtractSummary, out_dir: Path, verbose: bool, kept: bool = False
) -> None:
    """The console lines of one extracted file (``kept``: finished by an earlier run)."""
    resumed = f", {summary.resumed_pages} resumed" if summary.resumed_pages else ""
    if kept:
        resumed += " (finished before with the same file and options: outputs kept; --fresh redoes it)"
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
        report_tables(doc)


def report_tables(doc: Document) -> None:
    """Per table: its form, its checks, how many columns were named."""
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
