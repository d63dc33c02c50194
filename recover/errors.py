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


class ReportedError(RecoverError):
    """An error a worker process reported by message and exit code (the exceptions themselves
    do not all survive pickling)."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code
