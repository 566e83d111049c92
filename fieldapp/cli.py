"""The one entry point: ``fieldapp gui | demo | server | admin | enroll | sync | status | forms``.

Each part registers its own sub-commands from a light module that imports nothing heavy at the
top, so ``fieldapp status`` does not pay for FastAPI and ``fieldapp server`` does not load Qt.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from fieldapp import __version__


class CommandError(Exception):
    """A failure to report to the person at the terminal in one plain line (exit status 1)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldapp", description="FieldApp: field collection, offline first.")
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    from fieldapp.server import commands as server_commands
    from fieldapp.sync import commands as sync_commands
    from fieldapp.ui import commands as ui_commands

    server_commands.register(sub)
    sync_commands.register(sub)
    ui_commands.register(sub)
    from fieldapp import demo

    demo.register(sub)
    try:
        from fieldapp.core import commands as core_commands
    except ImportError:  # forms tooling arrives with the visit feature
        pass
    else:
        core_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args) or 0)
    except CommandError as exc:
        print(f"fieldapp: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("fieldapp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
