"""Command-line registration for fieldapp.sync (light: heavy imports happen inside handlers)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's sub-commands to the fieldapp parser."""
