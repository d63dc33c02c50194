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
from recover.read.ocr.batches import batch_slices, width_batches


def test_a_wide_batch_comes_in_slices_no_wider_than_the_budget() -> None:
    crops = [np.full((30, w), 255, np.uint8) for w in (40, 300, 900, 1500, 2000, 2500)]
    ((batch, tensor),) = list(width_batches(crops, 48, 16))
    width = tensor.shape[3]

    def sizes(max_columns: int) -> list[int]:
        parts = list(batch_slices(batch, tensor, max_columns))
        assert [i for part, _ in parts for i in part] == batch  # every crop once, in order
        assert np.array_equal(np.concatenate([t for _, t in parts]), tensor)  # padding kept
        return [len(part) for part, _ in parts]

    assert sizes(2 * width) == [2, 2, 2]
    assert sizes(10) == [1] * 6  # narrower than one crop: one at a time
    assert sizes(6 * width) == [6]


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
    monkeypatch.setattr(rapid, "batch_slices", partial(batch_slices, max_columns=1))
    one_by_one = reader.recognize(crops)
    assert one_by_one == batched
