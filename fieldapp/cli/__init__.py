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
from fieldapp.cli.errors import CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldapp", description="FieldApp: field collection, offline first.")
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    from fieldapp.cli import device as device_commands
    from fieldapp.cli import gui as gui_commands
    from fieldapp.cli import notices as notice_commands
    from fieldapp.cli import server as server_commands

    server_commands.register(sub)
    device_commands.register(sub)
    notice_commands.register(sub)
    gui_commands.register(sub)
    from fieldapp.cli import demo as demo_command

    demo_command.register(sub)
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
