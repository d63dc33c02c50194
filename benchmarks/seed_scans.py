"""Benchmark: the seed filings' own forms, scanned (``../shared/evaldata/seed_scans``).

    python -m benchmarks.seed_scans [--out bench_out/seed_scans] [--cases case_000 ...] [--layout on|off]
                                    [--ocr-cache bench_out/readings.sqlite] [--reuse-pages]

Extracts every case with the normal pipeline (``recover extract`` per case into
``OUT/<case>/``), then runs the data set's own scorers on the result — ``score.py``
(tables found, grid shape, cell / numeric exact, per dpi and strength) and
``silent_errors.py`` (silent, lost, caught, review load) — and adds what only
``result.json`` tells: proof coverage (amounts of trust tier ``proven`` — covered by a rule
that holds — or ``repaired`` with its proof, over all amounts) and false source
inconsistencies (every case adds up
exactly, so each reported inconsistency is a false accusation). Prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.reading_cache import CachedReader
from recover.extract import extract_file
from recover.model import Document, proof_of
from recover.pipeline import ExtractOptions, LayoutDetection
from recover.read.ocr.engine import LineRecognizer
from recover.read.ocr.rapid import RapidOcrEngine

SEED_SCANS = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata" / "seed_scans"


def proof_figures(doc: Document) -> dict[str, int]:
    """Amounts, those proved (trust tier ``proven`` or ``repaired``), and source inconsistencies."""
    tally = proof_of(doc.tables)
    within = sum(len(t.checks.inconsistencies) for t in doc.tables if t.checks)
    across = 0 if doc.checks is None else doc.checks.inconsistencies + doc.checks.statement_inconsistencies
    return {"amounts": tally.amounts, "proven": tally.proved, "inconsistencies": within + across}


def main() -> None:
    """Extract, score, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("bench_out/seed_scans"))
    parser.add_argument("--cases", nargs="*")
    parser.add_argument("--layout", choices=["on", "off"], default="on", help="layout detection (issue 15)")
    parser.add_argument("--ocr-cache", type=Path, help="SQLite file of cached readings (shared by reruns)")
    parser.add_argument("--reuse-pages", action="store_true", help="keep the last run's page checkpoints")
    args = parser.parse_args()
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    cases_dir = SEED_SCANS / "cases"
    pdfs = sorted(cases_dir.glob("case_*.pdf"))
    if args.cases:
        pdfs = [p for p in pdfs if p.stem in set(args.cases)]
    out, pred = args.out / "out", args.out / "pred"
    shutil.rmtree(pred, ignore_errors=True)
    if not args.reuse_pages:
        shutil.rmtree(out, ignore_errors=True)
    engine: LineRecognizer = RapidOcrEngine()
    reader = engine if args.ocr_cache is None else CachedReader(engine, args.ocr_cache)
    options = ExtractOptions(dpi=200, layout=LayoutDetection(args.layout))
    totals = {"amounts": 0, "proven": 0, "inconsistencies": 0}
    pages, started = 0, time.perf_counter()
    for pdf in pdfs:
        doc, _ = extract_file(pdf, out, reader, options, resume=args.reuse_pages)
        pages += len(doc.pages)
        for key, value in proof_figures(doc).items():
            totals[key] += value
        (pred / pdf.stem).mkdir(parents=True, exist_ok=True)
        for csv in sorted((out / pdf.stem / "tables").glob("*.csv")):
            shutil.copy(csv, pred / pdf.stem / csv.name)
    seconds = time.perf_counter() - started
    names = [p.stem for p in pdfs]
    score = [sys.executable, str(SEED_SCANS / "score.py"), "--gt", str(cases_dir), "--pred", str(pred)]
    subprocess.run([*score, "--cases", *names], check=True)
    silent = [sys.executable, str(SEED_SCANS / "silent_errors.py"), str(cases_dir), str(out)]
    subprocess.run(silent, check=True)
    recall = [sys.executable, "-m", "benchmarks.rule_recall", str(cases_dir), str(out), "--cases", *names]
    subprocess.run(recall, check=True)
    coverage = totals["proven"] / max(1, totals["amounts"])
    print(
        json.dumps(
            {
                "cases": len(pdfs),
                "pages": pages,
                "s_per_page": round(seconds / max(1, pages), 2),
                "amounts": totals["amounts"],
                "proof_coverage": round(coverage, 4),
                "false_source_inconsistencies": totals["inconsistencies"],
            }
        )
    )


if __name__ == "__main__":
    main()
