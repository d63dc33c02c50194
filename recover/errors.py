"""Exceptions that map to exit codes, each with a message that says what to do."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``recover`` command."""

    OK = 0
    BAD_ARGS = 2
    INPUT_FILE = 3  # the input could not be read as a document
    SOME_FAILED = 4  # a batch where at least one file failed
    OUTPUT = 5  # the output folder could not be written


class RecoverError(Exception):
    """Base of all errors the tool reports to the user in one line."""

    exit_code: ExitCode = ExitCode.BAD_ARGS


class InputFileError(RecoverError):
    """The input file is missing, empty, damaged, encrypted or not a supported format."""

    exit_code = ExitCode.INPUT_FILE

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class OutputError(RecoverError):
    """The output folder cannot be written."""

    exit_code = ExitCode.OUTPUT


class PageError(RecoverError):
    """One page cannot be read (damaged image data, too large to render): that page fails,
    the rest of the document is still extracted."""

    exit_code = ExitCode.SOME_FAILED

    def __init__(self, page: int, problem: str) -> None:
        super().__init__(problem)  # recorded on the page itself, so the message needs no number
        self.page = page
        self.problem = problem


class EngineError(RecoverError):
    """The OCR engine's answer cannot be used (wrong number of readings): the page fails."""

    exit_code = ExitCode.SOME_FAILED
