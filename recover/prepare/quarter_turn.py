"""Which quarter turn makes a scanned page upright: cheap evidence first, reading last.

1. Geometry: text lines run along the page's reading direction, so the total length of
   line-like ink blobs lying flat against standing up tells 0/180 from 90/270.
2. The orientation classifier tells the two turns of that axis apart.
3. Only when the two disagree or the classifier is unsure are sample lines read in the
   candidate turns, and the recogniser's confidence-weighted character count decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from recover.model import BBox, PageGeometry
from recover.prepare.text_blobs import remove_long_lines
from recover.read.ocr.engine import LineRecognizer

AXIS_RATIO = 2.0  # one direction's line length must exceed the other's this many times
CLASSIFIER_SURE = 0.8  # share of the axis' two turns the classifier must give the winner
VOTE_LINES = 8  # sample lines per direction read by the recognition vote
ALL_TURNS = (0, 90, 180, 270)


class TurnEvidence(Enum):
    """What decided a page's quarter turn."""

    NO_TEXT = "no text lines: left as it is"
    CLASSIFIER = "line directions and the orientation classifier"
    READING = "recognition vote"


@dataclass(frozen=True)
class TurnDecision:
    """The clockwise quarter turn that makes the page upright, and why."""

    turn: int
    evidence: TurnEvidence


@dataclass(frozen=True)
class LineBlobs:
    """Line-like ink blobs of a page, longest first: lying flat and standing up."""

    wide: list[BBox]
    tall: list[BBox]


TurnProbabilities = Callable[[np.ndarray], dict[int, float]]


class QuarterTurnChooser:
    """Decides each scanned page's quarter turn; the classifier is loaded on first use, so a
    run of digital pages never loads it."""

    def __init__(self, reader: LineRecognizer, classify: TurnProbabilities | None = None) -> None:
        self._reader = reader
        self._classify = classify

    def choose(self, gray: np.ndarray, mask: np.ndarray, char_h: int) -> TurnDecision:
        """See :func:`choose_rotation`."""
        return choose_rotation(gray, mask, char_h, self._reader, self._probabilities)

    def _probabilities(self, gray: np.ndarray) -> dict[int, float]:
        if self._classify is None:
            from recover.prepare.orientation_model import OrientationClassifier

            self._classify = OrientationClassifier().turn_probabilities
        return self._classify(gray)


def line_blobs(mask: np.ndarray, char_h: int) -> LineBlobs:
    """Ink joined along each direction into blobs one character across and longer than wide."""
    text = remove_long_lines(mask, char_h * 4)
    gap = PageGeometry(char_h).gap
    found: list[list[BBox]] = []
    for kernel_size in ((gap, 1), (1, gap)):
        joined = cv2.dilate(text, cv2.getStructuringElement(cv2.MORPH_RECT, kernel_size))
        _, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        along, across = (stats[1:, 2], stats[1:, 3]) if kernel_size[1] == 1 else (stats[1:, 3], stats[1:, 2])
        keep = (along >= 2.5 * across) & (across >= 0.6 * char_h) & (across <= 2 * char_h)
        order = np.argsort(-along[keep], kind="stable")
        picked = stats[1:][keep][order]
        found.append([(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in picked])
    return LineBlobs(wide=found[0], tall=found[1])


def line_axis_turns(blobs: LineBlobs) -> tuple[int, ...]:
    """The turns the line directions allow: (0, 180) for flat lines, (90, 270) for standing
    ones, all four when neither direction clearly dominates."""
    flat = sum(x1 - x0 for x0, _, x1, _ in blobs.wide)
    standing = sum(y1 - y0 for _, y0, _, y1 in blobs.tall)
    if flat >= AXIS_RATIO * standing:
        return (0, 180)
    if standing >= AXIS_RATIO * flat:
        return (90, 270)
    return ALL_TURNS


def choose_rotation(
    gray: np.ndarray,
    mask: np.ndarray,
    char_h: int,
    reader: LineRecognizer,
    classify: TurnProbabilities,
) -> TurnDecision:
    """Clockwise quarter turn (0, 90, 180, 270) after which the page reads upright.

    Without enough line-like blobs the page is left as it is.
    """
    blobs = line_blobs(mask, char_h)
    if len(blobs.wide) + len(blobs.tall) < 2:
        return TurnDecision(0, TurnEvidence.NO_TEXT)
    candidates = line_axis_turns(blobs)
    if len(candidates) == 2:
        probs = classify(gray)
        best = max(candidates, key=lambda t: probs[t])
        overall = max(probs, key=lambda t: probs[t])
        if overall == best and probs[best] >= CLASSIFIER_SURE * sum(probs[t] for t in candidates):
            return TurnDecision(best, TurnEvidence.CLASSIFIER)
        if overall != best:
            candidates = ALL_TURNS  # the two disagree about the axis: read all four ways
    return TurnDecision(vote_by_reading(gray, blobs, char_h, reader, candidates), TurnEvidence.READING)


def vote_by_reading(
    gray: np.ndarray, blobs: LineBlobs, char_h: int, reader: LineRecognizer, turns: Sequence[int]
) -> int:
    """The turn among ``turns`` whose sample lines read best.

    Flat blobs are read in the turns 0 and 180, standing ones in 90 and 270; the score is
    the recogniser's confidence-weighted character count. Upright is kept unless another
    turn reads clearly better.
    """
    pad = PageGeometry(char_h).crop_pad

    def crops(boxes: list[BBox], turn: int) -> list[np.ndarray]:
        return [
            rotate_quarter(gray[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad], turn)
            for x0, y0, x1, y1 in boxes
        ]

    scores: dict[int, float] = {}
    for turn in turns:
        boxes = (blobs.wide if turn in (0, 180) else blobs.tall)[:VOTE_LINES]
        readings = reader.recognize(crops(boxes, turn)) if boxes else []
        scores[turn] = sum(r.score * len(r.text.strip()) for r in readings if r.score > 0.5)
    best = max(scores, key=lambda t: scores[t])
    if 0 in scores and scores[best] <= 1.2 * scores[0]:
        return 0
    return best


def rotate_quarter(img: np.ndarray, degrees_cw: int) -> np.ndarray:
    """Rotate by a multiple of 90° clockwise."""
    turns = (degrees_cw // 90) % 4
    if turns == 0:
        return img
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, codes[turns])
