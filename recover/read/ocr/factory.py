"""A picklable recipe for the OCR engine: checked in the parent, built where it runs.

Loading an engine takes seconds, so the command line checks its arguments and inputs with
the recipe alone, and each worker process builds the engine once from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from recover.errors import RecoverError
from recover.read.ocr.engine import LineRecognizer


class EngineKind(StrEnum):
    """The OCR engines the tool can run."""

    RAPIDOCR = "rapidocr"
    PADDLEOCR = "paddleocr"


@dataclass(frozen=True)
class EngineSpec:
    """Which engine, from which model folder, with how many threads per process.

    ``custom`` is an importable zero-argument function that builds the engine instead (a
    test's or a benchmark's recorded engine); it must be a module-level function, so that it
    pickles by name into the workers.
    """

    kind: EngineKind = EngineKind.RAPIDOCR
    model_dir: Path | None = None
    threads: int = 0  # the runtime's threads for one inference; 0: the cores this process may use
    custom: Callable[[], LineRecognizer] | None = None

    @classmethod
    def parse(cls, engine: str, model_dir: Path | None) -> EngineSpec:
        """Check the command line's engine choice without loading any model."""
        try:
            kind = EngineKind(engine)
        except ValueError:
            raise RecoverError(
                f"--engine: unknown engine '{engine}' (choose rapidocr or paddleocr)"
            ) from None
        if kind is EngineKind.PADDLEOCR:
            from recover.read.ocr.paddle import check_model_dir

            if model_dir is None:
                raise RecoverError(
                    "--engine paddleocr needs --model-dir pointing at a local PP-OCR rec model folder"
                )
            check_model_dir(model_dir)
        return cls(kind, model_dir)

    @property
    def name(self) -> str:
        """The engine's name as recorded in result.json, known before it is loaded."""
        if self.custom is not None:
            return self.build().name
        if self.kind is EngineKind.PADDLEOCR:
            from recover.read.ocr.paddle import check_model_dir

            assert self.model_dir is not None
            return f"paddleocr/{check_model_dir(self.model_dir)}"
        from recover.read.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine.name

    def build(self) -> LineRecognizer:
        """Load the engine (the slow part: model sessions)."""
        if self.custom is not None:
            return self.custom()
        if self.kind is EngineKind.PADDLEOCR:
            from recover.read.ocr.paddle import PaddleOcrEngine

            assert self.model_dir is not None
            return PaddleOcrEngine(self.model_dir, threads=self.threads)
        from recover.read.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine(threads=self.threads)


def threads_per_worker(workers: int, cores: int) -> int:
    """Runtime threads for each of ``workers`` processes sharing ``cores``: the cores split
    evenly, at least one, so N workers on N cores do not fight over them."""
    return max(1, cores // max(1, workers))
