"""What ``--jobs N`` does in the parent before any worker starts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from recover.cli import app
from recover.errors import RecoverError


def test_workers_without_rapid_layout_are_refused_in_one_line_before_any_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapid_layout", None)  # as if not installed
    pdf = SAMPLES / "wanli_2024_budget_p10-12.pdf"
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == int(RecoverError("").exit_code)  # the code of the error itself
    assert "--layout on:" in result.output and "rapid-layout" in result.output
    assert not (tmp_path / "out").exists()  # refused before any page or worker


def test_the_parent_of_workers_does_not_load_the_layout_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from recover import cli
    from recover.layout import regions
    from recover.pipeline import LayoutDetection

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the parent loaded the layout model")

    monkeypatch.setattr(regions.RapidLayoutEngine, "__init__", refuse)
    assert cli._layout_detection("on", here=False) == (LayoutDetection.ON, None)
