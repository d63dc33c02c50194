"""Documents an earlier run finished: a rerun on the same file with the same options keeps
them as they are (``--ray``: thousands of filings, most done before).

``OUT/<stem>/finished.json`` is written last, after the outputs and the review items: the
run's key (the file's SHA-256, the engine, every option that shapes an output, the tool's
version), the hash of every output as written, and how many review items the document has.
A document whose key differs, whose outputs changed since (another run wrote the folder),
whose record or ``result.json`` is missing or damaged, which has a failed page, or whose
review queue is gone is done again (from its page checkpoints).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from recover import __version__
from recover.export.formats import OutputFormat, format_names
from recover.export.outputs import write_json
from recover.model import Document, PageStatus
from recover.pipeline import ExtractOptions
from recover.review.queue import DB_NAME

FINISHED = "finished.json"


def run_key(
    doc: Document, options: ExtractOptions, unit: str | None, formats: frozenset[OutputFormat]
) -> Any:
    """Everything a document's outputs depend on, as plain JSON."""
    chosen = {f.name: getattr(options, f.name) for f in fields(options) if f.name != "layout_engine"}
    chosen["pages"] = sorted(options.pages) if options.pages else None
    key = {
        "sha256": doc.sha256,
        "engine": doc.engine,
        "version": __version__,
        "unit": unit,
        "formats": format_names(formats),
        **chosen,
    }
    return json.loads(json.dumps(key, default=str))


def mark_finished(
    doc_dir: Path,
    doc: Document,
    options: ExtractOptions,
    unit: str | None,
    formats: frozenset[OutputFormat],
    review_items: int,
) -> None:
    """Record that ``doc``'s outputs and review items are complete."""
    key = run_key(doc, options, unit, formats)
    write_json(doc_dir / FINISHED, {"key": key, "outputs": _outputs(doc_dir), "review_items": review_items})


def _outputs(doc_dir: Path) -> dict[str, str]:
    """SHA-256 of each output of the folder (what ``write_document`` writes)."""
    paths = [
        *doc_dir.glob("*.json"),
        *doc_dir.glob("*.csv"),
        *doc_dir.glob("*.xlsx"),
        *doc_dir.glob("tables/*.csv"),
    ]
    return {
        str(p.relative_to(doc_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(paths)
        if p.name != FINISHED
    }


def finished_document(
    doc_dir: Path, doc: Document, options: ExtractOptions, unit: str | None, formats: frozenset[OutputFormat]
) -> tuple[Document, int] | None:
    """The document an earlier run finished with the same key and no failed page, and its
    review item count; None when it must be done (again)."""
    if not (doc_dir.parent / DB_NAME).is_file():
        return None  # the review queue is gone: its items must be made again
    key = run_key(doc, options, unit, formats)
    try:
        record = json.loads((doc_dir / FINISHED).read_text(encoding="utf-8"))
        if record.get("key") != key or record.get("outputs") != _outputs(doc_dir):
            return None
        finished = Document.from_dict(json.loads((doc_dir / "result.json").read_text(encoding="utf-8")))
        items = int(record["review_items"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: the document is simply done again
    if finished.sha256 != doc.sha256 or any(p.status is PageStatus.FAILED for p in finished.pages):
        return None
    return finished, items
