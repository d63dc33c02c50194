"""The quarter turn: line directions, the orientation classifier, and the reading vote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES
from fake_engines import RecordingReader

from recover.ingest.source import SourceDocument
from recover.prepare.orientation import ink_at_reading_size
from recover.prepare.quarter_turn import (
    VOTE_LINES,
    QuarterTurnChooser,
    TurnEvidence,
    choose_rotation,
    line_axis_turns,
    line_blobs,
    rotate_quarter,
)

SAMPLE = SAMPLES / "wanli_2024_budget_p10-12.pdf"


@pytest.fixture(scope="module")
def upright_page() -> tuple[np.ndarray, np.ndarray, int]:
    with SourceDocument(Path(SAMPLE), dpi=150) as doc:
        image = next(doc.pages({2}))
    gray, mask, char_h, _ = ink_at_reading_size(image.rgb, image.dpi)
    return gray, mask, char_h


def test_line_directions_tell_the_axis(upright_page) -> None:  # type: ignore[no-untyped-def]
    _, mask, char_h = upright_page
    assert line_axis_turns(line_blobs(mask, char_h)) == (0, 180)
    assert line_axis_turns(line_blobs(rotate_quarter(mask, 90), char_h)) == (90, 270)


def test_a_blank_page_is_left_as_it_is(reader) -> None:  # type: ignore[no-untyped-def]
    blank = np.full((800, 600), 255, np.uint8)
    counting = RecordingReader(reader)
    decision = choose_rotation(blank, np.zeros_like(blank), 20, counting, lambda _: {0: 1.0})
    assert decision.turn == 0 and decision.evidence is TurnEvidence.NO_TEXT and len(counting.crops) == 0


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_classifier_decides_without_reading(upright_page, reader, turned: int) -> None:  # type: ignore[no-untyped-def]
    gray, mask, char_h = upright_page
    counting = RecordingReader(reader)
    chooser = QuarterTurnChooser(counting)
    decision = chooser.choose(rotate_quarter(gray, turned), rotate_quarter(mask, turned), char_h)
    assert decision.turn == (360 - turned) % 360
    assert decision.evidence is TurnEvidence.CLASSIFIER and len(counting.crops) == 0


def test_an_unsure_classifier_is_overruled_by_reading(upright_page, reader) -> None:  # type: ignore[no-untyped-def]
    gray, mask, char_h = upright_page
    counting = RecordingReader(reader)

    def unsure(_: np.ndarray) -> dict[int, float]:
        return {0: 0.3, 90: 0.05, 180: 0.6, 270: 0.05}  # leans the wrong way, not surely

    decision = choose_rotation(gray, mask, char_h, counting, unsure)
    assert decision.turn == 0 and decision.evidence is TurnEvidence.READING
    wide = min(VOTE_LINES, len(line_blobs(mask, char_h).wide))
    assert wide > 0 and len(counting.crops) == 2 * wide  # the flat lines in two turns, not four


def test_a_classifier_against_the_line_directions_brings_all_four_turns_to_the_vote(  # type: ignore[no-untyped-def]
    upright_page, reader
) -> None:
    gray, mask, char_h = upright_page
    counting = RecordingReader(reader)
    sideways = {0: 0.1, 90: 0.8, 180: 0.05, 270: 0.05}
    decision = choose_rotation(gray, mask, char_h, counting, lambda _: sideways)
    blobs = line_blobs(mask, char_h)
    assert decision.turn == 0 and decision.evidence is TurnEvidence.READING
    assert len(counting.crops) == 2 * min(VOTE_LINES, len(blobs.wide)) + 2 * min(VOTE_LINES, len(blobs.tall))
