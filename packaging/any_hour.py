"""Run the fast test suite at other instants and in other zones, under libfaketime (issue: one clock).

    python packaging/any_hour.py                 # every instant below, one after another
    python packaging/any_hour.py --random        # one, chosen at random (CI), named so it can be replayed
    python packaging/any_hour.py --only utc-evening -- -x tests/unit/ui   # one instant, extra pytest arguments

Each instant is an aware UTC time and a ``TZ``. The whole process tree (pytest, its xdist workers,
the server processes the tests start) runs with one ``FAKETIME`` offset from the real clock, so
every process agrees on the faked "now" and time still moves; the monotonic clock is left alone.
The instants are where the machine's local date differs from Shanghai's, across both DST changes,
on 31 December and on 29 February 2028, in UTC, Los Angeles, Kathmandu (+05:45) and Kiritimati (+14).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name → (the instant, in UTC; the machine's TZ). Comments give the local and the Shanghai date-time.
INSTANTS: dict[str, tuple[str, str]] = {
    # 18:20 in UTC, 02:20 the next day in Shanghai: the evening CI used to go red
    "utc-evening": ("2026-12-03T18:20:00+00:00", "UTC"),
    # 23:40 on 1 Nov 2026 in Los Angeles, the day DST ends (15:40 on the 2nd in Shanghai)
    "la-dst-ends": ("2026-11-02T07:40:00+00:00", "America/Los_Angeles"),
    # 10:00 PDT on 14 Mar 2027, the day DST starts (01:00 on the 15th in Shanghai)
    "la-dst-starts": ("2027-03-14T17:00:00+00:00", "America/Los_Angeles"),
    # 31 Dec 2026 17:30 UTC: 1 Jan 2027 in Shanghai (01:30) and in Kiritimati (07:30)
    "new-year-kiritimati": ("2026-12-31T17:30:00+00:00", "Pacific/Kiritimati"),
    # 31 Dec 2026 in Los Angeles (09:30) while Shanghai is at 01:30 on 1 Jan
    "new-year-la": ("2026-12-31T17:30:00+00:00", "America/Los_Angeles"),
    # 29 Feb 2028 20:00 UTC: 1 Mar in Kathmandu (01:45) and Shanghai (04:00)
    "leap-day-kathmandu": ("2028-02-29T20:00:00+00:00", "Asia/Kathmandu"),
    # 29 Feb 2028 04:00 in Los Angeles, 20:00 in Shanghai
    "leap-day-la": ("2028-02-29T12:00:00+00:00", "America/Los_Angeles"),
}

FAST = ["-m", "not e2e and not slow"]


def libfaketime() -> str:
    """The libfaketime the ``libfaketime`` test dependency builds at install.

    Not Debian's: its 0.9.10 build intercepts sleeps, and Python 3.11's ``time.sleep`` (an absolute
    ``clock_nanosleep`` on the monotonic clock) then fails with EINVAL when the monotonic clock is
    left real, or sleeps for the whole offset when it is faked. The PyPI package builds the same
    library with ``-UFAKE_SLEEP``: wall-clock reads are faked, sleeps and the monotonic clock are not.
    """
    from importlib.util import find_spec

    spec = find_spec("libfaketime")
    if spec is not None and spec.origin:
        built = Path(spec.origin).parent / "vendor" / "libfaketime" / "src" / "libfaketime.so.1"
        if built.exists():
            return str(built)
    sys.exit("any_hour: libfaketime is not built; install the test dependencies (pip install -e '.[test]')")


def environment(instant: str, zone: str) -> dict[str, str]:
    """This process's environment with the clock moved to ``instant`` and the zone set to ``zone``."""
    target = dt.datetime.fromisoformat(instant)
    offset = round((target - dt.datetime.now(dt.UTC)).total_seconds())
    env = dict(os.environ)
    env.update({
        "LD_PRELOAD": " ".join(p for p in (libfaketime(), env.get("LD_PRELOAD", "")) if p),
        "FAKETIME": f"{offset:+d}",  # seconds from the real clock, the same for every process
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_DONT_RESET": "1",
        "TZ": zone,
        "QT_QPA_PLATFORM": "offscreen",
    })
    return env


def run(name: str, pytest_args: list[str]) -> int:
    instant, zone = INSTANTS[name]
    print(f"any_hour: {name}: the clock at {instant}, TZ={zone} "
          f"(replay: make test-any-hour ANY_HOUR='--only {name}')", flush=True)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FAST, *pytest_args]
    return subprocess.call(command, cwd=ROOT, env=environment(instant, zone))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(INSTANTS), action="append", help="run at this instant (repeatable)")
    parser.add_argument("--random", action="store_true", help="one instant chosen at random")
    parser.add_argument("--list", action="store_true", help="print the instants and exit")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args(argv)
    if args.list:
        for name, (instant, zone) in INSTANTS.items():
            print(f"{name:22} {instant}  TZ={zone}")
        return 0
    names = args.only or list(INSTANTS)
    if args.random:
        names = [random.SystemRandom().choice(names)]
    failed = [name for name in names if run(name, args.pytest_args) != 0]
    if failed:
        print(f"any_hour: failed at {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"any_hour: passed at {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
