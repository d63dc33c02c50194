"""Recognition batches: a wide batch runs in slices with the same readings, less memory."""

from __future__ import annotations

from functools import partial

import cv2
import numpy as np
import pytest
from conftest import SAMPLES
from fake_engines import RecordingReader

from recover.pipeline import ExtractOptions, iter_document
from recover.read.ocr import rapid
from recover.read.ocr.batches import infer_in_chunks, width_batches


def test_a_batch_is_inferred_in_slices_no_wider_than_the_budget() -> None:
    crops = [np.full((30, w), 255, np.uint8) for w in (40, 300, 900, 1500, 2000, 2500)]
    seen: list[tuple[int, ...]] = []

    def per_crop_sum(tensor: np.ndarray) -> np.ndarray:
        seen.append(tensor.shape)
        return np.asarray(tensor.reshape(tensor.shape[0], -1).sum(axis=1))

    ((_, tensor),) = list(width_batches(crops, 48, 16))
    whole = per_crop_sum(tensor)
    seen.clear()
    sliced = infer_in_chunks(per_crop_sum, tensor, max_columns=2 * tensor.shape[3])
    assert np.array_equal(sliced, whole)
    assert [s[0] for s in seen] == [2, 2, 2] and all(s[1:] == tensor.shape[1:] for s in seen)
    seen.clear()
    infer_in_chunks(per_crop_sum, tensor, max_columns=10)  # narrower than one crop: one at a time
    assert [s[0] for s in seen] == [1] * 6
    seen.clear()
    infer_in_chunks(per_crop_sum, tensor, max_columns=6 * tensor.shape[3])
    assert [s[0] for s in seen] == [6]


@pytest.mark.slow
def test_crops_read_one_at_a_time_read_exactly_as_in_one_batch(reader, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recording = RecordingReader(reader)
    options = ExtractOptions(dpi=150, pages={2}, check_totals=False)
    next(iter_document(SAMPLES / "wanli_2024_budget_p10-12.pdf", recording, options))
    crops = recording.crops[:40]
    # A wide line too, so that a batch's padding is far wider than most of its crops.
    height = crops[0].shape[0]
    crops.append(cv2.hconcat([cv2.resize(c, (c.shape[1], height)) for c in crops[:8]]))
    batched = reader.recognize(crops)
    monkeypatch.setattr(rapid, "infer_in_chunks", partial(infer_in_chunks, max_columns=1))
    one_by_one = reader.recognize(crops)
    assert one_by_one == batched
