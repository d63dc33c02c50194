"""Line crops stacked into model input batches of similar width."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import cv2
import numpy as np

MAX_WIDTH = 3200  # PaddleOCR's cap; longer lines are squeezed rather than cut
MAX_COLUMNS = 16 * 800
"""Most image columns (crops × padded width) one inference is given. The runtime keeps the
working memory of the largest input it has seen: a batch of 16 lines 3,200 wide took the
process to 1.9 GB and left it at 1.5 GB (BENCHMARKS.md, "Session 6: speed")."""


def width_batches(
    crops: Sequence[np.ndarray], height: int, batch_size: int, min_width: int = 0
) -> Iterator[tuple[list[int], np.ndarray]]:
    """(crop indices, normalised NCHW tensor) per batch, crops sorted by scaled width.

    Each crop is resized to ``height`` keeping its aspect ratio, normalised to [-1, 1] as
    PP-OCR rec models expect, and zero-padded on the right to its batch's widest (at least
    ``min_width``): sorting by width keeps that padding small, since most cells hold a
    short number.
    """
    widths = [max(8, math.ceil(height * c.shape[1] / max(1, c.shape[0]))) for c in crops]
    order = sorted(range(len(crops)), key=lambda i: widths[i])
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        max_w = min(MAX_WIDTH, max(min_width, *(widths[i] for i in batch)))
        tensor = np.zeros((len(batch), 3, height, max_w), dtype=np.float32)
        for k, i in enumerate(batch):
            crop = crops[i] if crops[i].ndim == 3 else cv2.cvtColor(crops[i], cv2.COLOR_GRAY2BGR)
            w = min(max_w, widths[i])
            resized = cv2.resize(crop, (w, height)).astype(np.float32)
            tensor[k, :, :, :w] = resized.transpose(2, 0, 1) / 127.5 - 1.0
        yield batch, tensor


def infer_in_chunks(
    infer: Callable[[np.ndarray], np.ndarray], tensor: np.ndarray, max_columns: int = MAX_COLUMNS
) -> np.ndarray:
    """``infer(tensor)``, run on consecutive slices of the batch so that none holds more than
    ``max_columns`` columns (at least one crop each). Every crop keeps its batch's padding,
    so each reads exactly as in one inference (the model treats the crops of a batch
    independently); only the working memory is bounded."""
    per_run = max(1, max_columns // max(1, tensor.shape[3]))
    if per_run >= tensor.shape[0]:
        return infer(tensor)
    return np.concatenate([infer(tensor[i : i + per_run]) for i in range(0, tensor.shape[0], per_run)])
