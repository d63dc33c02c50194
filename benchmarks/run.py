"""Benchmark: degraded rasterisations of the cn_budget PDFs (and camelot's ruled cases).

    python -m benchmarks.run --dpi 200 --strength medium
    python -m benchmarks.run --dpi 150 200 300 --strength mild medium harsh --every 3
    python -m benchmarks.run --camelot --dpi 200 --strength medium
    python -m benchmarks.run --dpi 200 --strength medium --every 8 --engine paddleocr --model-dir DIR
    python -m benchmarks.run --pdf-dir DIR --layout off   # rules erased (benchmarks.erase_rules)
    python -m benchmarks.run --dpi 200 --strength medium --ocr-cache bench_out/readings.sqlite

Each (dpi, strength) runs in its own subprocess so its peak memory is its own. Pages are
rendered from the digital originals, degraded with a seed derived from (file, page, dpi,
strength), written as an image-only PDF, and extracted by the normal pipeline. Proof coverage
is the share of amounts the checks prove (trust tier ``proven`` or ``repaired``), over every
amount of the checked tables. ``--ocr-cache`` keeps the engine's readings by crop pixels
(``benchmarks.reading_cache``), so a rerun after a change to the checks reads nothing again.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from benchmarks.check_score import CheckTally, checked_copy, inject_errors, plant_inconsistency, score_checked
from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.reading_cache import CachedReader
from benchmarks.score import GtTable, Tally, gt_table_from_cnbudget, gt_table_from_rows, score_page
from recover.check.structure import check_structure
from recover.check.tiers import table_tiers
from recover.extract import extract_file
from recover.model import CellStatus, FlagKind, Page, ProofTally, Table, proof_of
from recover.pipeline import ExtractOptions, LayoutDetection, iter_document
from recover.read.ocr.engine import LineRecognizer
from recover.read.ocr.rapid import RapidOcrEngine

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata"


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8"))


def _render(pdf: Path, page: int, dpi: int) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        doc.close()


Case = tuple[Path, int, list[GtTable], list[dict]]  # type: ignore[type-arg]


def cnbudget_cases(every: int, pdf_dir: Path | None = None) -> list[Case]:
    """(pdf, page, GT tables, raw GT tables) for each cn_budget table page (every n-th);
    the same-named PDFs from ``pdf_dir`` when given (rules erased: benchmarks.erase_rules)."""
    root = EVAL / "cn_budget"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    pages = sorted({(m["pdf"], m["gt"], m["page"]) for m in manifest})
    cases = []
    gt_cache: dict[str, dict] = {}  # type: ignore[type-arg]
    for i, (pdf, gt, page) in enumerate(pages):
        if i % every:
            continue
        doc = gt_cache.setdefault(gt, json.loads((root / gt).read_text(encoding="utf-8")))
        tables = next(p["tables"] for p in doc["pages"] if p["page"] == page)
        path = pdf_dir / Path(pdf).name if pdf_dir else root / pdf
        cases.append((path, page, [gt_table_from_cnbudget(t) for t in tables], tables))
    return cases


def camelot_cases() -> list[Case]:
    """(pdf, page, GT tables) for camelot's ruled cases, grouped per page."""
    root = EVAL / "camelot_lattice"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    expected = json.loads((root / "expected_tables.json").read_text(encoding="utf-8"))
    grouped: dict[tuple[str, int], list[GtTable]] = {}
    for case in manifest["cases"]:
        if case.get("kwargs"):  # region/area cases need camelot options, not whole-page recovery
            continue
        key = (case["pdf"], case["page"])
        grouped.setdefault(key, []).append(gt_table_from_rows(expected[case["expected"]]))
    return [(root / "files" / pdf, page, gts, []) for (pdf, page), gts in grouped.items()]


def _reader(model_dir: Path | None, cache: Path | None = None) -> LineRecognizer:
    """The default engine, or the PaddleOCR engine on ``model_dir``; its readings kept in
    ``cache`` when given."""
    engine: LineRecognizer
    if model_dir is None:
        engine = RapidOcrEngine()
    else:
        from recover.read.ocr.paddle import PaddleOcrEngine

        engine = PaddleOcrEngine(model_dir)
    return engine if cache is None else CachedReader(engine, cache)


def _finish_checks(tables: list[Table]) -> list[Table]:
    """The rest of the check stage on tables ``checked_copy`` checked: structure, then tiers."""
    for table in tables:
        check_structure(table)
        table_tiers(table)
    return tables


def _extract_page(path: Path, reader: LineRecognizer, options: ExtractOptions) -> Page:
    return next(iter_document(path, reader, options))[0]


def run_one(
    dpi: int,
    strength: str,
    every: int,
    camelot: bool,
    layout: str,
    pdf_dir: Path | None = None,
    model_dir: Path | None = None,
    cache: Path | None = None,
) -> dict:  # type: ignore[type-arg]
    """Degrade, extract and score one configuration in this process.

    One OCR pass per page feeds three scores: the recovered cells as read, the totals
    checks on that output (a) with its proof coverage, and the checks after injecting digit
    errors (b).
    """
    cases = camelot_cases() if camelot else cnbudget_cases(every, pdf_dir)
    reader = _reader(model_dir, cache)
    proof = ProofTally()
    options = ExtractOptions(dpi=dpi, check_totals=False, layout=LayoutDetection(layout))
    total, rotated = Tally(), Tally()
    checks_real, checks_injected = CheckTally(), CheckTally()
    injected = 0
    per_page = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (pdf, page, gts, _) in enumerate(cases):
            clean = _render(pdf, page, dpi)
            hurt = degrade(clean, dpi, strength, _seed(pdf.name, page, dpi, strength))
            scan = Path(tmp) / f"{n:04d}.pdf"
            save_image_pdf([hurt.rgb], dpi, str(scan), quality=95)
            started = time.perf_counter()
            result = _extract_page(scan, reader, options)
            seconds = time.perf_counter() - started
            tally = score_page(gts, result.tables)
            tally.page_seconds.append(seconds)
            total.add(tally)
            if hurt.rotated:
                rotated.add(tally)
            checked = _finish_checks(checked_copy(result.tables))
            proof.add(proof_of(checked))
            checks_real.add(score_checked(gts, result.tables, checked))
            spoiled = copy.deepcopy(result.tables)
            injected += inject_errors(
                spoiled, gts, 0.02, np.random.default_rng(_seed("inject", pdf.name, page))
            )
            checks_injected.add(score_checked(gts, spoiled, _finish_checks(checked_copy(spoiled))))
            per_page.append(
                {
                    "pdf": pdf.name,
                    "page": page,
                    "rotated": hurt.rotated,
                    "sealed": hurt.sealed,
                    "detected_rotation": result.rotation,
                    **tally.figures(),
                }
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "dpi": dpi,
        "strength": strength,
        "set": "camelot_lattice" if camelot else "cn_budget",
        "engine": reader.name,
        "layout": layout,
        "pages": len(cases),
        **total.figures(),
        "peak_mem_mb": round(peak_mb),
        "rotated_pages": rotated.figures() | {"pages": len(rotated.page_seconds)},
        "checks_real_ocr": checks_real.figures(),
        "proof": proof.to_dict(),
        "checks_injected": checks_injected.figures() | {"injected": injected},
        "per_page": per_page,
    }


def _continued_from(pdf: Path, page: int) -> int | None:
    """The page whose table ``page``'s first table continues (GT: no title above it, same
    columns as that page's last table), or None."""
    gt = json.loads((EVAL / "cn_budget" / "gt" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    pages = {p["page"]: p for p in gt["pages"]}
    here, before = pages.get(page), pages.get(page - 1)
    if here is None or before is None or here.get("text_above_table") or not before["tables"]:
        return None
    return page - 1 if before["tables"][-1]["n_cols"] == here["tables"][0]["n_cols"] else None


def run_planted(dpi: int, strength: str, every: int, cache: Path | None = None) -> dict:  # type: ignore[type-arg]
    """Plant one source inconsistency per table page and see how the checks report it.

    A page whose table continues one from the page before is extracted together with that
    page, as a filing would be: the joined table's rules are the ones that apply.
    """
    reader = _reader(None, cache)
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (pdf, page, _, raw_tables) in enumerate(cnbudget_cases(every)):
            rng = np.random.default_rng(_seed("plant", pdf.name, page))
            planted = plant_inconsistency(_render(pdf, page, dpi), raw_tables[0], dpi, rng)
            if planted is None:
                continue
            rgb, slot, text = planted
            images = [degrade(rgb, dpi, strength, _seed(pdf.name, page, dpi, strength)).rgb]
            previous = _continued_from(pdf, page)
            if previous is not None:
                before = degrade(
                    _render(pdf, previous, dpi), dpi, strength, _seed(pdf.name, previous, dpi, strength)
                )
                images.insert(0, before.rgb)
            scan = Path(tmp) / f"{n:04d}.pdf"
            save_image_pdf(images, dpi, str(scan), quality=95)
            doc, _ = extract_file(scan, Path(tmp) / "out", reader, ExtractOptions(dpi=dpi), resume=False)
            planted_page = len(images)
            table = next((t for t in doc.tables if any(c.page == planted_page for c in t.cells)), None)
            cell = None
            row = slot[0]
            if table is not None:
                # Aligned at the bottom: a header repeated at the top of the page is dropped
                # when the table is joined to the one it continues.
                last = max(c.row_end for c in table.cells if c.page == planted_page)
                row = last - (raw_tables[0]["n_rows"] - 1 - slot[0])
                cell = table.cell_at(row, slot[1])
            is_governed = bool(
                table is not None
                and table.checks is not None
                and any((row, slot[1]) in c.rule.slots for c in table.checks.rules)
            )
            outcomes.append(
                {
                    "pdf": pdf.name,
                    "page": page,
                    "with_page_before": previous is not None,
                    "slot": slot,
                    "printed": text,
                    "read": None if cell is None else cell.text,
                    "governed": is_governed,
                    "reported": bool(
                        cell and any(f.kind is FlagKind.SOURCE_INCONSISTENCY for f in cell.flags)
                    ),
                    "flagged": bool(cell and cell.status is CellStatus.FLAGGED),
                    "repaired": bool(cell and cell.status is CellStatus.REPAIRED),
                }
            )
    governed = [o for o in outcomes if o["governed"]]
    return {
        "dpi": dpi,
        "strength": strength,
        "planted": len(outcomes),
        "extracted_with_the_page_before": sum(o["with_page_before"] for o in outcomes),
        "governed_by_a_constraint": len(governed),
        "read_as_printed": sum(o["read"] == o["printed"] for o in outcomes),
        "reported_as_source_inconsistency": sum(o["reported"] for o in governed),
        "flagged": sum(o["flagged"] for o in outcomes),
        "repaired": sum(o["repaired"] for o in outcomes),
        "cases": outcomes,
    }


def _print_row(r: dict) -> None:  # type: ignore[type-arg]
    print(
        f"{r['set']:<15} {r['engine']} {r['dpi']:>3} {r['strength']:<6} pages {r['pages']:>3} | "
        f"layout {r['layout']} | tables {r['tables_found']}/{r['tables_expected']} "
        f"(+{r['tables_extra']} extra, {r['tables_stub']} stubs) | "
        f"grid exact {r['grid_exact_pct']:.1f}% | cell exact {r['cell_exact_pct']:.2f}% | "
        f"numeric exact {r['numeric_exact_pct']:.2f}% | CER {r['cer_pct']:.2f}% | "
        f"median {r['median_s_per_page']:.2f} s/page | peak {r['peak_mem_mb']} MB | "
        f"rotated pages {r['rotated_pages']['pages']}: "
        f"cell exact {r['rotated_pages']['cell_exact_pct']:.1f}% | "
        f"proof coverage {100 * r['proof']['coverage']:.1f}% of {r['proof']['amounts']} amounts "
        f"({r['proof']['unproven']} unproven, {r['proof']['flagged']} flagged)",
        flush=True,
    )


def main() -> None:
    """Run the requested configurations, each in a fresh subprocess, and print figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dpi", type=int, nargs="+", default=[200])
    ap.add_argument("--strength", nargs="+", default=["medium"], choices=["mild", "medium", "harsh"])
    ap.add_argument("--every", type=int, default=1, help="use every n-th table page (1 = all 104)")
    ap.add_argument("--camelot", action="store_true", help="score camelot's ruled cases instead")
    ap.add_argument("--json", type=Path, help="append each configuration's full result here")
    ap.add_argument("--plant", action="store_true", help="plant source inconsistencies instead")
    ap.add_argument("--engine", choices=["rapidocr", "paddleocr"], default="rapidocr")
    ap.add_argument("--model-dir", type=Path, help="PaddleOCR rec model folder for --engine paddleocr")
    ap.add_argument("--layout", choices=["on", "off"], default="on", help="layout detection (issue 15)")
    ap.add_argument("--pdf-dir", type=Path, help="same-named cn_budget PDFs from here (rules erased)")
    ap.add_argument("--ocr-cache", type=Path, help="SQLite file of cached readings (shared by reruns)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if (args.engine == "paddleocr") != (args.model_dir is not None):
        ap.error("--engine paddleocr and --model-dir go together")
    if args.plant:
        result = run_planted(args.dpi[0], args.strength[0], args.every, args.ocr_cache)
        print(json.dumps({k: v for k, v in result.items() if k != "cases"}, ensure_ascii=False))
        if args.json:
            with args.json.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    if args.one:
        print(
            json.dumps(
                run_one(
                    args.dpi[0],
                    args.strength[0],
                    args.every,
                    args.camelot,
                    args.layout,
                    args.pdf_dir,
                    args.model_dir,
                    args.ocr_cache,
                ),
                ensure_ascii=False,
            )
        )
        return
    for dpi in args.dpi:
        for strength in args.strength:
            cmd = [
                sys.executable,
                "-m",
                "benchmarks.run",
                "--one",
                "--dpi",
                str(dpi),
                "--strength",
                strength,
                "--every",
                str(args.every),
                "--layout",
                args.layout,
            ]
            cmd += ["--camelot"] if args.camelot else []
            cmd += ["--pdf-dir", str(args.pdf_dir)] if args.pdf_dir else []
            cmd += ["--ocr-cache", str(args.ocr_cache)] if args.ocr_cache else []
            if args.model_dir is not None:
                cmd += ["--engine", "paddleocr", "--model-dir", str(args.model_dir)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                print(f"{dpi} {strength}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            _print_row(result)
            for key in ("checks_real_ocr", "checks_injected"):
                c = result[key]
                print(
                    f"    {key:<16} numeric {c['numeric_cells']} | wrong before {c['wrong_before']} | "
                    f"fixed {c['fixed_pct_of_wrong']:.1f}% | "
                    f"flagged {c['flagged_pct_of_wrong']:.1f}% of wrong | "
                    f"silent error rate {c['silent_error_rate_pct']:.3f}% ({c['silent']}) | "
                    f"correct changed {c['correct_changed_by_repair']} | "
                    f"review load {c['flagged_pct_of_numeric']:.2f}% of numeric cells",
                    flush=True,
                )
            if args.json:
                with args.json.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
