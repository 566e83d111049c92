"""``fieldapp demo``: the app with an embedded demo server and demo data (fieldapp.demo does the work)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="start the app with an embedded demo server and demo data")
    parser.add_argument("--home", type=Path, help="keep the demo's files here (default: demo/ in $FIELDAPP_HOME, else in your data folder; reused by every run)")
    parser.add_argument("--cases", type=int, default=300, help="how many demo cases to generate (default 300)")
    parser.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--no-gui", action="store_true",
                        help="set everything up, sync once, print the status and stop (for scripts and CI)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from fieldapp.demo import run_demo

    return run_demo(args)
