"""Benchmark: the quarter-turn decision on every rotated (and upright) benchmark page.

    python -m benchmarks.orientation
    python -m benchmarks.orientation --compare          # also the old four-way reading vote
    python -m benchmarks.orientation --sets seed_scans --list

Pages, each rendered as ``recover`` renders it (SourceDocument, 200 dpi unless noted):
- seed_scans: every page of the 60 scans; truth = the case's ``rotation``;
- cn_budget: the table pages of benchmarks.run (every n-th), degraded at 200 dpi medium,
  each also turned 90, 180 and 270 degrees clockwise;
- camelot_lattice: every page of the ruled cases (two of them rotated), degraded likewise;
- sample: samples/wanli_2024_budget_p16_sideways.pdf at 150 dpi.
Prints, by set and by true turn: pages, correct, wrong, how many needed the recognition
vote, and the decision's milliseconds a page (median and mean; the classifier's one-off
loading is timed apart).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.degrade import degrade, save_image_pdf
from benchmarks.run import EVAL, _render, _seed, cnbudget_cases
from recover.ingest.source import SourceDocument
from recover.prepare.orientation import ink_at_reading_size
from recover.prepare.orientation_model import OrientationClassifier
from recover.prepare.quarter_turn import ALL_TURNS, TurnEvidence, choose_rotation, line_blobs, rotate_quarter
from recover.prepare.quarter_turn import vote_by_reading as read_vote
from recover.read.ocr.rapid import RapidOcrEngine

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "wanli_2024_budget_p16_sideways.pdf"
SAMPLE_TURN = 90  # the sample was scanned turned counter-clockwise
CAMELOT_TURNS = {"clockwise_table_1.pdf": 270, "anticlockwise_table_1.pdf": 90}


@dataclass(frozen=True)
class TurnCase:
    """One page and the clockwise turn that makes it upright."""

    set_name: str
    name: str
    rgb: np.ndarray
    dpi: int
    truth: int


def _pdf_pages(path: Path, dpi: int) -> Iterator[tuple[int, np.ndarray, int]]:
    with SourceDocument(path, dpi) as source:
        for image in source.pages():
            yield image.number, image.rgb, image.dpi


def seed_scan_cases() -> Iterator[TurnCase]:
    """Every page of the seed scans, as recover renders them."""
    for gt_path in sorted((EVAL / "seed_scans" / "cases").glob("case_*.json")):
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        turns = {p["page"]: p["rotation"] for p in gt["pages"]}
        for number, rgb, dpi in _pdf_pages(gt_path.with_suffix(".pdf"), 200):
            yield TurnCase("seed_scans", f"{gt_path.stem} p{number}", rgb, dpi, turns[number])


def _scanned(rgb: np.ndarray, dpi: int, seed: int, tmp: Path) -> tuple[np.ndarray, int]:
    """The page degraded (200 dpi medium), through a JPEG-in-PDF as run.py does; and the
    clockwise turn degrade applied."""
    hurt = degrade(rgb, dpi, "medium", seed)
    scan = tmp / "scan.pdf"
    save_image_pdf([hurt.rgb], dpi, str(scan), quality=95)
    return next(_pdf_pages(scan, dpi))[1], hurt.turned_cw


def cn_budget_cases(every: int, tmp: Path) -> Iterator[TurnCase]:
    """benchmarks.run's pages, degraded, in all four turns."""
    for pdf, page, _, _ in cnbudget_cases(every):
        rgb, turned = _scanned(_render(pdf, page, 200), 200, _seed(pdf.name, page, 200, "medium"), tmp)
        for extra in ALL_TURNS:
            total = (turned + extra) % 360
            name = f"{pdf.stem} p{page} +{extra}"
            yield TurnCase("cn_budget", name, rotate_quarter(rgb, extra), 200, (360 - total) % 360)


def camelot_cases(tmp: Path) -> Iterator[TurnCase]:
    """Every page of camelot's ruled cases, degraded."""
    manifest = json.loads((EVAL / "camelot_lattice" / "manifest.json").read_text(encoding="utf-8"))
    for pdf, page in sorted({(c["pdf"], c["page"]) for c in manifest["cases"]}):
        clean = _render(EVAL / "camelot_lattice" / "files" / pdf, page, 200)
        rgb, turned = _scanned(clean, 200, _seed(pdf, page, 200, "medium"), tmp)
        truth = (CAMELOT_TURNS.get(pdf, 0) - turned) % 360
        yield TurnCase("camelot_lattice", f"{pdf} p{page}", rgb, 200, truth)


def sample_cases() -> Iterator[TurnCase]:
    """The sideways sample scan."""
    for number, rgb, dpi in _pdf_pages(SAMPLE, 150):
        yield TurnCase("sample", f"{SAMPLE.name} p{number}", rgb, dpi, SAMPLE_TURN)


@dataclass
class Outcome:
    """One decision on one page."""

    case: TurnCase
    turn: int
    voted: bool
    ms: float
    old_turn: int | None = None
    old_ms: float | None = None


def decide(
    case: TurnCase, reader: RapidOcrEngine, classifier: OrientationClassifier, compare: bool
) -> Outcome:
    """The new decision (and, with ``compare``, the old four-way vote) on one page."""
    gray, mask, char_h, _ = ink_at_reading_size(case.rgb, case.dpi)
    started = time.perf_counter()
    decision = choose_rotation(gray, mask, char_h, reader, classifier.turn_probabilities)
    outcome = Outcome(
        case, decision.turn, decision.evidence is TurnEvidence.READING, 1000 * (time.perf_counter() - started)
    )
    if compare:
        started = time.perf_counter()
        blobs = line_blobs(mask, char_h)
        enough = len(blobs.wide) + len(blobs.tall) >= 2
        outcome.old_turn = read_vote(gray, blobs, char_h, reader, ALL_TURNS) if enough else 0
        outcome.old_ms = 1000 * (time.perf_counter() - started)
    return outcome


def _row(label: str, outcomes: list[Outcome]) -> str:
    wrong = [o for o in outcomes if o.turn != o.case.truth]
    ms = [o.ms for o in outcomes]
    text = (
        f"{label:<28} pages {len(outcomes):>3} | correct {len(outcomes) - len(wrong):>3}"
        f" | wrong {len(wrong):>2}"
        f" | vote {sum(o.voted for o in outcomes):>2} | ms/page median {statistics.median(ms):6.0f}"
        f" mean {statistics.mean(ms):6.0f}"
    )
    old = [o for o in outcomes if o.old_ms is not None]
    if old:
        old_wrong = sum(o.old_turn != o.case.truth for o in old)
        text += (
            f" || four-way vote: wrong {old_wrong:>2} | ms/page median "
            f"{statistics.median(o.old_ms for o in old if o.old_ms is not None):6.0f}"
        )
    return text


def report(outcomes: list[Outcome], listing: bool) -> None:
    """Print the figures by set and by true turn, then every wrong (or every) decision."""
    sets = sorted({o.case.set_name for o in outcomes})
    for set_name in sets:
        mine = [o for o in outcomes if o.case.set_name == set_name]
        print(_row(set_name, mine))
        for truth in ALL_TURNS:
            turned = [o for o in mine if o.case.truth == truth]
            if turned:
                print(_row(f"  true turn {truth}", turned))
    print(_row("all", outcomes))
    for o in outcomes:
        if listing or o.turn != o.case.truth or (o.old_turn is not None and o.old_turn != o.case.truth):
            print(
                f"  {o.case.set_name} {o.case.name}: truth {o.case.truth} got {o.turn} (voted {o.voted})"
                + ("" if o.old_turn is None else f" four-way {o.old_turn}")
            )


def main() -> None:
    """Decide every page's turn and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["seed_scans", "cn_budget", "camelot_lattice", "sample"])
    ap.add_argument(
        "--every", type=int, default=8, help="cn_budget: every n-th table page, as benchmarks.run"
    )
    ap.add_argument("--compare", action="store_true", help="also run the old four-way reading vote")
    ap.add_argument("--list", action="store_true", help="print every page's decision")
    args = ap.parse_args()
    reader = RapidOcrEngine()
    started = time.perf_counter()
    classifier = OrientationClassifier()
    print(f"classifier loaded in {1000 * (time.perf_counter() - started):.0f} ms")
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        sources = {
            "seed_scans": seed_scan_cases,
            "cn_budget": lambda: cn_budget_cases(args.every, Path(tmp)),
            "camelot_lattice": lambda: camelot_cases(Path(tmp)),
            "sample": sample_cases,
        }
        for set_name in args.sets:
            outcomes += [decide(case, reader, classifier, args.compare) for case in sources[set_name]()]
    report(outcomes, args.list)


if __name__ == "__main__":
    main()
