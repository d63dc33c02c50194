"""Line crops stacked into model input batches of similar width."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import cv2
import numpy as np

MAX_WIDTH = 3200  # PaddleOCR's cap; longer lines are squeezed rather than cut
MAX_COLUMNS = 16 * 400
"""Most image columns (crops × padded width) one inference is given. The model's output is a
probability for each of ~18,000 characters at every 8th column (~9 kB a column): a batch of
16 lines 3,200 wide returned 470 MB, and with its copies took the process to 1.9 GB
(BENCHMARKS.md, "Session 6: speed"). Batches of ordinary cells stay whole."""


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


def batch_slices(
    batch: list[int], tensor: np.ndarray, max_columns: int = MAX_COLUMNS
) -> Iterator[tuple[list[int], np.ndarray]]:
    """A batch from :func:`width_batches` as consecutive slices of at most ``max_columns``
    columns (at least one crop each), to infer and decode one after another. Every crop keeps
    its batch's padding, so it reads exactly as in one inference (the model treats the crops
    of a batch independently); only the memory one inference needs is bounded."""
    per_run = max(1, max_columns // max(1, tensor.shape[3]))
    for start in range(0, len(batch), per_run):
        yield batch[start : start + per_run], tensor[start : start + per_run]
