"""Grid reconstruction on recorded rule segments of real pages, against the ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recover.layout.reconstruct import drop_stray_segments, reconstruct_tables
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


def test_pieces_of_a_broken_rule_add_up_but_hairlines_do_not() -> None:
    # Recorded from a faint 预算02表 (char_h 26): the column rule between 财政专户管理资金 and
    # 单位资金 is left in two pieces, each shorter than a long rule and touching one rule
    # across; a stacked header's strokes (营, 预) lie on one line too, as hairlines.
    frame = [
        Segment(True, 351, 94, 2181, 6),
        Segment(True, 834, 94, 2181, 6),
        Segment(False, 94, 351, 834, 6),
        Segment(False, 2181, 351, 834, 6),
    ]
    rule = [Segment(False, 2108, 409, 501, 6), Segment(False, 2108, 700, 797, 6)]
    strokes = [Segment(True, 484, 896, 946, 1), Segment(True, 484, 1942, 1990, 2)]
    kept = drop_stray_segments(frame + rule + strokes, 26)
    assert all(s in kept for s in rule)
    assert not any(s in kept for s in strokes)
    assert rule[0] not in drop_stray_segments(frame + rule[:1], 26)  # one piece alone is a stray
