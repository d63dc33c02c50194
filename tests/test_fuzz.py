"""A seeded slice of the fuzz benchmark: damaged inputs through the whole extraction.

Every input gets an outcome; none escapes with a traceback, hangs or kills its worker, and
every refusal is one line naming the file. ``python -m benchmarks.fuzz`` runs 10,000.
"""

from __future__ import annotations

import pytest

from benchmarks.fuzz import Outcome, report, run_fuzz, run_one

SLICE = range(240)
SEED = 7


@pytest.mark.slow
def test_fuzz_slice_every_input_accounted_for_without_tracebacks_or_hangs() -> None:
    tally = run_fuzz(SEED, SLICE, workers=2, timeout=60.0, page_timeout=10.0)
    figures = report(tally, SEED)
    assert sorted(r.index for r in tally.results) == list(SLICE), figures
    for outcome in (Outcome.TRACEBACK, Outcome.HANG, Outcome.CRASH, Outcome.BAD_MESSAGE):
        assert tally.count(outcome) == 0, figures
    assert tally.count(Outcome.PAGE_FAILED_UNEXPECTED) == 0, figures  # the guard kept a bug: fix it
    # The slice reaches every way out, so a harness that stopped exercising one would show.
    for outcome in (Outcome.EXTRACTED, Outcome.PAGE_FAILED, Outcome.REFUSED):
        assert tally.count(outcome) > 10, figures
    assert any(r.noted for r in tally.results), figures


@pytest.mark.parametrize("index", [4323, 5305, 7563])
def test_inputs_the_benchmark_found_failing_a_page_unexpectedly_now_pass(tmp_path, index: int) -> None:  # type: ignore[no-untyped-def]
    # Seed 1 of the 10,000-input run: damaged PNGs whose words fell past the last column line.
    result = run_one(1, index, tmp_path)
    assert result.outcome in (Outcome.EXTRACTED, Outcome.PAGE_FAILED), result.detail
