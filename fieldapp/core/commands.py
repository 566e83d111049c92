"""Command-line registration for the forms tooling: ``fieldapp forms check [DIR]`` (light imports)."""

from __future__ import annotations

import argparse
import sys

from fieldapp.core.formcheck import check_dir


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's sub-commands to the fieldapp parser."""
    forms = sub.add_parser("forms", help="visit scripts, rule packs and notice templates")
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    p = forms_sub.add_parser("check", help="validate form files; prints file:line: problem for each problem")
    p.add_argument("directory", nargs="?", default=None, metavar="DIR",
                   help="folder to check (default: the forms bundled with this version)")
    p.set_defaults(handler=cmd_forms_check)


def cmd_forms_check(args: argparse.Namespace) -> int:
    """Exit 0 when every file is clean, 1 when any problem was found, 2 when DIR is not a folder."""
    from pathlib import Path


    if args.directory is not None and not Path(args.directory).is_dir():
        print(f"fieldapp: {args.directory} is not a folder", file=sys.stderr)
        return 2
    problems, count = check_dir(args.directory)
    for problem in problems:
        print(problem)
    files = len({p.file for p in problems})
    if problems:
        print(f"{len(problems)} problem(s) in {files} of {count} file(s)", file=sys.stderr)
        return 1
    print(f"{count} file(s) checked, no problems", file=sys.stderr)
    return 0
