"""Arguments are checked before the OCR engine loads (it takes seconds): a bad one answers at once."""

from __future__ import annotations

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from recover.cli import app


@pytest.mark.parametrize(
    "bad",
    [["--pages", "0"], ["--pages", "5-3"], ["--unit", "斤"], ["--source", "camera"], ["--format", "docx"]],
)
def test_a_bad_argument_is_refused_without_loading_the_engine(bad: list[str], monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from recover.read.ocr import rapid

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the engine was loaded before the arguments were checked")

    monkeypatch.setattr(rapid.RapidOcrEngine, "__init__", never)
    sample = SAMPLES / "wanli_2024_budget_p10-12.pdf"
    result = CliRunner().invoke(app, ["extract", str(sample), "-o", str(tmp_path), *bad])
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, AssertionError)
