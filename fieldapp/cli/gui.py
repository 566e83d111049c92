"""``fieldapp gui``: the collector's desktop app (light: Qt is imported only inside the handler)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's sub-commands to the fieldapp parser."""
    parser = sub.add_parser("gui", help="open the collector's desktop app")
    parser.add_argument("--server", metavar="URL", default=None,
                        help="preset the server address for enrollment (IT may also set FIELDAPP_SERVER_URL)")
    parser.set_defaults(handler=_run_gui)


def _run_gui(args: argparse.Namespace) -> int:
    import sys

    from fieldapp.ui.app import run_gui

    return run_gui(sys.argv[:1], server_url_preset=args.server)
