"""Header mapping and form identification against the labelled set.

    python -m benchmarks.headers            # clean text (the printed headers)
    python -m benchmarks.headers --ocr      # also OCR of degraded pages (200 dpi, medium)
    python -m benchmarks.headers --ocr --ocr-cache /work/bench/readings_cn0.sqlite  # readings cached
    python -m benchmarks.headers --seed-out /work/bench/<you>/seed/out   # and a seed_scans run's labels

Columns: share mapped to the labelled id, share wrongly mapped above the threshold (the
silent kind of error), share left unmapped. Forms: share of cn_budget tables identified.
The labelled set includes the seed_scans ground truth's headers; their figures (mapped, wrong,
the same printed column of the same form getting the same id across filings, forms right)
come from benchmarks/seed_scan_headers.py, on the clean headers and on a run's result.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks import seed_scan_headers
from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.header_labels import OUT as LABELS
from benchmarks.run import EVAL, _continued_from, _reader, _render, _seed
from benchmarks.score import match_tables
from recover.assemble.stitch import assemble_document
from recover.label.match import THRESHOLD
from recover.label.stage import label_document, map_columns
from recover.model import Document, Page, Table
from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr.engine import LineRecognizer


def column_figures(pairs: list[tuple[str, str | None, float]]) -> dict[str, float]:
    """(label, predicted id, score) → right / wrong-above-threshold / unmapped shares."""
    n = len(pairs)
    right = sum(1 for label, got, _ in pairs if (got or "NONE") == label)
    wrong = sum(1 for label, got, s in pairs if got is not None and got != label and s >= THRESHOLD)
    unmapped = sum(1 for label, got, _ in pairs if got is None and label != "NONE")
    return {
        "columns": n,
        "right_pct": round(100 * right / max(1, n), 2),
        "wrong_above_threshold_pct": round(100 * wrong / max(1, n), 2),
        "unmapped_pct": round(100 * unmapped / max(1, n), 2),
    }


def clean_run(data: dict) -> dict:  # type: ignore[type-arg]
    """Map the printed header paths of the labelled set, each source table's columns together."""
    pairs = []
    misses = []
    by_source: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for col in data["columns"]:
        by_source.setdefault(col["source"], []).append(col)
    for cols in by_source.values():
        for col, found in zip(cols, map_columns([c["path"] for c in cols]), strict=True):
            pairs.append((col["id"], found.id, found.score))
            if (found.id or "NONE") != col["id"]:
                misses.append((" / ".join(col["path"]), col["id"], found.id))
    return {"clean": column_figures(pairs), "clean_misses": misses[:20]}


def clean_forms(data: dict) -> dict:  # type: ignore[type-arg]
    """Identify the form of every cn_budget ground-truth table from its printed title and
    its header and rows, as the label stage does (no OCR); continuation pages (no title)
    take their columns' form or inherit, as in assembling."""
    from benchmarks.header_labels import gt_table

    root = EVAL / "cn_budget"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    right = total = 0
    misses = []
    for entry in sorted(manifest, key=lambda e: (e["pdf"], e["page"])):
        label = next(
            t["form"] for t in data["tables"] if (t["pdf"], t["page"]) == (entry["pdf"], entry["page"])
        )
        gt = json.loads((root / entry["gt"]).read_text(encoding="utf-8"))
        page = next(p for p in gt["pages"] if p["page"] == entry["page"])
        table = gt_table(page["tables"][entry["table_index"]])
        table.meta.title = entry["title_guess"] or ""
        label_document(Document(entry["pdf"], "", [Page(entry["page"], 1, 1, 200, tables=[table])]))
        if not table.meta.title and table.meta.form == "":
            continue  # a continuation page: assembling gives it the form of the table it continues
        total += 1
        right += table.meta.form == (label or "")
        if table.meta.form != (label or ""):
            misses.append((entry["pdf"], entry["page"], entry["title_guess"], label, table.meta.form))
    return {
        "cn_budget_clean_forms": {"tables": total, "right_pct": round(100 * right / max(1, total), 2)}
    } | ({"cn_budget_clean_form_misses": misses[:10]} if misses else {})


def ocr_run(data: dict, dpi: int, strength: str, cache: Path | None = None) -> dict:  # type: ignore[type-arg]
    """Extract the degraded cn_budget pages, map their headers and forms, compare. Each
    stitched table is scored once, against the ground truth of its first page."""
    from benchmarks.header_labels import gt_table

    reader = _reader(None, cache)
    labels_by_page: dict[tuple[str, int], dict[int, dict]] = {}  # type: ignore[type-arg]
    for col in data["columns"]:
        if "pdf" in col:
            labels_by_page.setdefault((col["pdf"], col["page"]), {})[col["col"]] = col
    forms = {(t["pdf"], t["page"]): t["form"] for t in data["tables"]}
    pairs: list[tuple[str, str | None, float]] = []
    grouped: list[tuple[str, str, str, str | None, float]] = []  # for the consistency figure
    form_right = form_total = 0
    misses: list[tuple[object, ...]] = []
    root = EVAL / "cn_budget"
    by_pdf: dict[str, list[int]] = {}
    for pdf, page in sorted(forms):
        by_pdf.setdefault(pdf, []).append(page)
    with tempfile.TemporaryDirectory() as tmp:
        for pdf, pages in by_pdf.items():
            gt = json.loads(
                (root / pdf.replace("pdf/", "gt/").replace(".pdf", ".json")).read_text(encoding="utf-8")
            )
            doc = _extract(root, pdf, pages, reader, dpi, strength, Path(tmp))
            gt_pages = {p["page"]: [gt_table(r) for r in p["tables"]] for p in gt["pages"]}
            continued = {page for page in pages if _continued_from(root / pdf, page) is not None}
            for number, gt_t, pred in stitched_pairs(doc, gt_pages, continued):
                form_total += 1
                if pred is None:
                    misses.append(("lost", pdf, number))
                    continue
                form_right += pred.meta.form == (forms[(pdf, number)] or "")
                if pred.meta.form != (forms[(pdf, number)] or ""):
                    misses.append(("form", pdf, number, forms[(pdf, number)], pred.meta.form))
                if pred.header_rows == 0:
                    continue
                truth = labels_by_page.get((pdf, number), {})
                for mapping in pred.columns:
                    col = truth.get(mapping.col)
                    if col is None or gt_t.n_cols != pred.n_cols:
                        continue
                    label = col["id"]
                    pairs.append((label, mapping.id, mapping.score))
                    grouped.append((col["form"], " / ".join(col["path"]), label, mapping.id, mapping.score))
                    if (mapping.id or "NONE") != label:
                        misses.append(("column", pdf, number, " / ".join(mapping.path), label, mapping.id))
    return {
        "ocr": column_figures(pairs)
        | {
            "consistent_pct": seed_scan_headers.figures(grouped)["consistent_pct"],
            "dpi": dpi,
            "strength": strength,
        },
        "forms": {"tables": form_total, "right_pct": round(100 * form_right / max(1, form_total), 2)},
        "ocr_misses": misses[:60],
    }


def _extract(
    root: Path, name: str, pages: list[int], reader: LineRecognizer, dpi: int, strength: str, tmp: Path
) -> Document:
    """Render, degrade (as benchmarks.run does) and extract ``pages`` of ``root / name``; label and
    assemble them as one document."""
    pdf = root / name
    doc = Document(source=name, sha256="")
    for page in pages:
        hurt = degrade(_render(pdf, page, dpi), dpi, strength, _seed(pdf.name, page, dpi, strength))
        scan = tmp / "p.pdf"
        save_image_pdf([hurt.rgb], dpi, str(scan), quality=95)
        result: Page = next(iter_document(scan, reader, ExtractOptions(dpi=dpi, check_totals=False)))[0]
        result.number = page
        for t in result.tables:
            t.page = page
        doc.pages.append(result)
    return assemble_document(label_document(doc))


def _absorbed_pages(doc: Document) -> set[int]:
    """Pages with a part joined into a table that starts on an earlier page."""
    pages = set()
    for table in doc.tables:
        for part in table.meta.parts:
            number = int(part.split()[1])
            if number != table.page:
                pages.add(number)
    return pages


def stitched_pairs(
    doc: Document, gt_pages: dict[int, list[Table]], continued: set[int]
) -> list[tuple[int, Table, Table | None]]:
    """(page, GT table, prediction or None) for an assembled document: each prediction is
    paired with the ground truth of the page it starts on. A page's first GT table that
    continues the previous page's (``continued``) and was joined into it is scored with that
    table, not as a miss; joined without continuing, it stays a miss."""
    absorbed = _absorbed_pages(doc)
    out = []
    for page in doc.pages:
        gts = gt_pages.get(page.number, [])
        if page.number in absorbed and page.number in continued:
            gts = gts[1:]
        preds = [t for t in page.tables if t.page == page.number]
        out += [(page.number, gt_t, pred) for gt_t, pred in _pair(gts, preds)]
    return out


def _pair(gts: list[Table], preds: list[Table]) -> list[tuple[Table, Table | None]]:
    from benchmarks.score import GtCell, GtTable

    as_gt = [
        GtTable(t.n_rows, t.n_cols, [GtCell(c.row, c.col, c.row_end, c.col_end, c.text) for c in t.cells])
        for t in gts
    ]
    matched = match_tables(as_gt, preds)
    return [(gts[i], pred) for i, (_, pred) in enumerate(matched)]


def main() -> None:
    """Print the figures (and append them as JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ocr", action="store_true")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--strength", default="medium")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--ocr-cache", type=Path, help="SQLite file of cached readings")
    ap.add_argument("--seed-out", type=Path, help="a seed_scans run's OUT folder: score its labels too")
    args = ap.parse_args()
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    result = clean_run(data) | clean_forms(data) | seed_scan_headers.clean_run()
    if args.seed_out:
        result |= seed_scan_headers.ocr_run(args.seed_out)
    if args.ocr:
        result |= ocr_run(data, args.dpi, args.strength, args.ocr_cache)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        with args.json.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
