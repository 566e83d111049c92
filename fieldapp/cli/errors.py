"""The one error a command reports: a plain line for the person at the terminal, and an exit status."""

from __future__ import annotations


class CommandError(Exception):
    """A failure to report to the person at the terminal in one plain line (exit status 1)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
