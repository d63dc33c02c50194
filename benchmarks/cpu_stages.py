"""CPU seconds per page stage, and what the recogniser was fed, for one ``extract`` run.

    python -m benchmarks.cpu_stages FILE [--out DIR] [--profile prof.out]

Runs ``recover extract FILE --jobs 1 --fresh`` in this process with each stage's function
wrapped in a ``time.process_time`` meter, so every figure is CPU seconds of this process (all
its threads: the runtimes' included) and depends far less on what else the machine runs than
wall time does (a loaded machine still inflates it somewhat: shared caches). ``--profile``
adds cProfile on the same CPU clock (its overhead inflates the Python stages). Prints
the CPU seconds per page of each stage (prepare and its parts, regions, layout, read, the
document stages, writing the kept page images), the engines' start, and the recogniser's
counts: crops read, model calls, pixels fed and how many of them were batch padding.
Wall-clock figures belong to ``benchmarks.throughput`` on a quiet machine.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from recover.cli import app
from recover.read.ocr import batches, rapid

# (label, module, attribute path): the functions whose inclusive CPU time is a stage, patched
# where the pipeline looks them up.
STAGES = [
    ("engine start (OCR)", "recover.read.ocr.rapid", "RapidOcrEngine.__init__"),
    ("engine start (layout)", "recover.layout.regions", "RapidLayoutEngine.__init__"),
    ("render", "recover.ingest.source", "SourceDocument.render"),
    ("prepare", "recover.pipeline", "PageStages.prepare"),
    ("  ink + char height", "recover.prepare.orientation", "ink_at_reading_size"),
    ("  quarter turn", "recover.prepare.quarter_turn", "choose_rotation"),
    (
        "    orientation classifier",
        "recover.prepare.orientation_model",
        "OrientationClassifier.turn_probabilities",
    ),
    ("  skew estimate", "recover.prepare.orientation", "estimate_skew"),
    ("rules (masks, grids)", "recover.pipeline", "PageStages.rules"),
    ("  rule masks", "recover.pipeline", "rule_masks"),
    ("regions (gate + layout model)", "recover.pipeline", "PageStages.regions"),
    ("  layout model", "recover.layout.regions", "RapidLayoutEngine.detect"),
    ("layout (tables from grids)", "recover.pipeline", "PageStages.layout"),
    ("read", "recover.pipeline", "PageStages.read"),
    ("  recogniser", "recover.read.ocr.rapid", "RapidOcrEngine._read"),
    ("    model inference", "recover.read.ocr.openvino_rec", "OpenVinoRecognition.__call__"),
    ("keep page (images, checkpoint)", "recover.extract", "keep_page"),
    ("  page images PNG", "recover.prepare.kept_pages", "KeptPages.save"),
    ("document stages", "recover.extract", "document_stages"),
    ("  label", "recover.extract", "label_document"),
    ("  assemble", "recover.extract", "assemble_document"),
    ("  check (re-reads)", "recover.extract", "check_stage"),
    ("write outputs", "recover.extract", "write_document"),
    ("review queue", "recover.extract", "build_queue"),
    ("whole extract", "recover.extract", "extract_file"),
]


@dataclass
class Meter:
    """Inclusive CPU seconds and calls of one patched function."""

    seconds: float = 0.0
    calls: int = 0
    depth: int = 0  # a recursive call is not counted twice


METERS: dict[str, Meter] = {}


def _metered(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    meter = METERS.setdefault(label, Meter())

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        meter.calls += 1
        meter.depth += 1
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            meter.depth -= 1
            if meter.depth == 0:
                meter.seconds += time.process_time() - started

    return run


def patch_stages() -> None:
    """Wrap every function of STAGES with its meter (where the pipeline looks it up)."""
    for label, module_name, attribute in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, _metered(label, getattr(owner, name)))


@dataclass
class FeedCounts:
    """What the recogniser was given."""

    calls: int = 0  # recognize() calls
    crops: int = 0
    batches: int = 0  # model inferences
    pixels: int = 0  # tensor pixels fed (height × width × batch)
    ink_pixels: int = 0  # of those, pixels of the crops themselves (the rest is padding)


COUNTS = FeedCounts()
_width_batches = batches.width_batches


def _counted_batches(
    crops: Sequence[np.ndarray], height: int, batch_size: int, min_width: int = 0
) -> Iterator[tuple[list[int], np.ndarray]]:
    COUNTS.calls += 1
    COUNTS.crops += len(crops)
    for batch, tensor in _width_batches(crops, height, batch_size, min_width):
        COUNTS.batches += 1
        COUNTS.pixels += tensor.shape[0] * tensor.shape[2] * tensor.shape[3]
        COUNTS.ink_pixels += sum(
            height * min(tensor.shape[3], max(8, -(-height * crops[i].shape[1] // max(1, crops[i].shape[0]))))
            for i in batch
        )
        yield batch, tensor


def main() -> None:
    """Run one extraction with the stages metered and print the CPU seconds per page."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", type=Path)
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary one)")
    ap.add_argument("--profile", type=Path, help="also run under cProfile (CPU clock) and write it here")
    args = ap.parse_args()
    rapid.width_batches = _counted_batches  # type: ignore[attr-defined]
    patch_stages()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        cpu, wall = time.process_time(), time.perf_counter()
        if profile is not None:
            profile.enable()
        try:
            app(["extract", str(args.input), "-o", str(out), "--fresh", "--jobs", "1"], standalone_mode=False)
        finally:
            if profile is not None:
                profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profile is not None:
        profile.dump_stats(str(args.profile))
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    pages = max(1, METERS["prepare"].calls)
    print(f"{args.input.name}: {pages} pages; CPU {cpu:.1f} s, {cpu / pages:.2f} s/page (wall {wall:.1f} s)")
    print(f"  {'stage':<32} {'CPU s':>7} {'s/page':>7} {'calls':>6}")
    for label, _module, _attribute in STAGES:
        meter = METERS[label]
        print(f"  {label:<32} {meter.seconds:7.2f} {meter.seconds / pages:7.3f} {meter.calls:6d}")
    c = COUNTS
    waste = 1 - c.ink_pixels / max(1, c.pixels)
    print(
        f"  recogniser: {c.calls} calls, {c.crops} crops, {c.batches} inferences, "
        f"{c.pixels / 1e6:.1f} Mpx fed, {100 * waste:.1f}% of them padding"
    )


if __name__ == "__main__":
    main()
