"""Benchmark: the checks between a disclosure's tables, on the cn_budget filings.

    python -m benchmarks.document_checks            # digital originals (text layer) + planting
    python -m benchmarks.document_checks --scan     # also degraded scans of the table pages

1. Each cn_budget PDF through the text-layer path: rules found / holding, source
   inconsistencies, missing forms, notes (a real filing should agree with itself).
2. Planted disagreements: for every rule that holds on non-blank figures, one of its printed
   figures is changed (one digit, as a filing's typo would) in a copy of the document and the
   checks are run again: clearly printed, it must be reported as a source inconsistency;
   printed with a low recogniser score, it must be flagged as unsure and never called the
   filing's fault. Likewise one digit of each amount the text states (情况说明) that agrees
   with its table: it must be reported as a source inconsistency.
3. ``--scan``: every page rendered at ``--dpi``, degraded (``--strength``), saved as an
   image-only PDF and extracted by OCR (text pages included): the same rules and statements
   must be found and none may fail where the digital original agrees with itself.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
import unicodedata
import zlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from benchmarks.degrade import degrade, save_image_pdf
from recover.check.document import check_document
from recover.extract import extract_file
from recover.model import Cell, Document, TextLine
from recover.pipeline import ExtractOptions
from recover.read.ocr.rapid import RapidOcrEngine

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata"


def _changed(text: str) -> str | None:
    """The printed amount with one digit changed (the first significant one after the lead)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(digits) < 2:
        return None
    i = digits[1]
    return text[:i] + str((int(text[i]) + 3) % 10) + text[i + 1 :]


def _cell(doc: Document, term: dict) -> Cell | None:  # type: ignore[type-arg]
    for table in doc.tables:
        if table.meta.form == term["form"] and table.page <= term["page"]:
            cell = table.cell_at(term["row"], term["col"])
            if cell is not None and cell.page == term["page"]:
                return cell
    return None


def plant(doc: Document) -> Counter[str]:
    """Plant one changed figure per holding rule; tally how each is reported."""
    assert doc.checks is not None
    tally: Counter[str] = Counter()
    for rule in (r.to_dict() for r in doc.checks.rules):
        if rule["status"] != "holds" or rule.get("kind") == "statement":
            continue
        terms = [t for t in rule["left"] + rule["right"] if t["value"] not in (None, "0")]
        if not terms:
            continue
        for unsure in (False, True):
            copy = Document.from_dict(doc.to_dict())
            cell = _cell(copy, terms[0])
            changed = None if cell is None else _changed(cell.text)
            if cell is None or changed is None:
                tally["not planted"] += 1
                continue
            cell.text = changed
            cell.value = Decimal(changed.replace(",", ""))
            cell.confidence = 0.5 if unsure else 1.0
            check_document(copy, complete=True)
            assert copy.checks is not None
            status = next(
                (r.status.value for r in copy.checks.rules if r.rule == rule["rule"]), "not evaluated"
            )
            tally[f"{'unsure' if unsure else 'clear'} → {status}"] += 1
    return tally


def plant_in_text(doc: Document) -> Counter[str]:
    """Change one digit of each amount the text states that agrees with its table; tally how
    each changed statement is reported (it must be a source inconsistency)."""
    assert doc.checks is not None
    tally: Counter[str] = Counter()
    for rule in (r.to_dict() for r in doc.checks.rules):
        if rule.get("kind") != "statement" or rule["status"] != "holds" or not rule["right"]:
            continue
        stated, page, snippet = rule["left"][0]["text"], rule["left"][0]["page"], rule["left"][0]["label"]
        changed = _changed(stated)
        copy = Document.from_dict(doc.to_dict())
        target = next(p for p in copy.pages if p.number == page)
        # The page's lines as the checks read them: folded and joined (a statement may wrap).
        text = "".join(re.sub(r"\s+", "", unicodedata.normalize("NFKC", t.text)) for t in target.text_lines)
        if changed is None or snippet not in text or not snippet.endswith(stated + "万元"):
            tally["not planted"] += 1
            continue
        replaced = snippet[: -len(stated) - 2] + changed + "万元"
        score = min(t.score for t in target.text_lines)
        target.text_lines = [TextLine(text.replace(snippet, replaced, 1), score)]
        check_document(copy, complete=True)
        assert copy.checks is not None
        outcomes = [
            r.status.value
            for r in copy.checks.rules
            if r.rule == rule["rule"] and r.left[0].page == page and r.left[0].text == changed
        ]
        tally[f"text → {outcomes[0] if outcomes else 'not found'}"] += 1
    return tally


def _scan(pdf: Path, pages: list[int], dpi: int, strength: str, out: Path) -> Path:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        images = []
        for number in pages:
            rgb = np.asarray(doc[number - 1].render(scale=dpi / 72).to_pil().convert("RGB"))
            seed = zlib.crc32(f"{pdf.name}|{number}|{dpi}|{strength}|document".encode())
            images.append(degrade(rgb, dpi, strength, seed).rgb)
    finally:
        doc.close()
    path = out / f"{pdf.stem}.scan.pdf"
    save_image_pdf(images, dpi, str(path))
    return path


def _figures(doc: Document) -> dict[str, object]:
    assert doc.checks is not None
    c = doc.checks
    return {
        "publication": c.publication,
        "rules": c.found,
        "hold": c.holding,
        "source_inconsistencies": c.inconsistencies,
        "unsure": c.unsure,
        "statements": c.statements,
        "statements_hold": c.statements_holding,
        "statement_inconsistencies": c.statement_inconsistencies,
        "missing_forms": c.missing_forms,
        "notes": len(c.notes),
    }


def main() -> None:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scan", action="store_true", help="also run degraded scans of the table pages")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--strength", default="medium")
    args = ap.parse_args()
    reader = RapidOcrEngine()
    pdfs = sorted((EVAL / "cn_budget" / "pdf").glob("*.pdf"))
    planted: Counter[str] = Counter()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for pdf in pdfs:
            started = time.perf_counter()
            doc, _ = extract_file(pdf, out / "text", reader, ExtractOptions(dpi=args.dpi))
            row: dict[str, object] = {"pdf": pdf.name, "text_layer": _figures(doc)}
            row["seconds"] = round(time.perf_counter() - started, 1)
            planted += plant(doc)
            planted += plant_in_text(doc)
            if args.scan:
                scan = _scan(pdf, [p.number for p in doc.pages], args.dpi, args.strength, out)
                scanned, _ = extract_file(scan, out / "scan", reader, ExtractOptions(dpi=args.dpi))
                row["scan"] = _figures(scanned)
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print(json.dumps({"planted": dict(sorted(planted.items()))}, ensure_ascii=False))


if __name__ == "__main__":
    main()
