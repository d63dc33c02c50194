"""Grid reconstruction on recorded rule segments of real pages, against the ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recover.layout.reconstruct import reconstruct_tables
from recover.layout.segments import Segment

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "grid").glob("*.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_grid_matches_ground_truth(path: Path) -> None:
    fixture = json.loads(path.read_text(encoding="utf-8"))
    segments = [Segment.from_list(s) for s in fixture["segments"]]
    tables = reconstruct_tables(segments, fixture["char_h"])
    assert len(tables) == len(fixture["expected"])
    for table, want in zip(tables, fixture["expected"], strict=True):
        assert (table.n_rows, table.n_cols) == (want["n_rows"], want["n_cols"])
        spans = sorted(
            [c.row, c.col, c.row_end, c.col_end]
            for c in table.cells
            if c.row_end > c.row or c.col_end > c.col
        )
        assert spans == want["spans"]


def test_fixtures_cover_degraded_pages() -> None:
    kinds = {json.loads(p.read_text(encoding="utf-8"))["degradation"] for p in FIXTURES}
    assert {"none", "medium"} <= kinds
