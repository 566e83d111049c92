"""The house rules of STYLE.md: Qt stays in ui/, the client never imports the server, core stands alone."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "fieldapp"

# Importing each of these with PySide6 made unimportable must work.
QT_FREE = ["fieldapp.core", "fieldapp.store", "fieldapp.sync", "fieldapp.server", "fieldapp.protocol",
           "fieldapp.documents", "fieldapp.cli"]


def _modules(package: str) -> list[str]:
    base = ROOT.parent
    return sorted(
        ".".join(p.relative_to(base).with_suffix("").parts).removesuffix(".__init__")
        for p in (base / package.replace(".", "/")).rglob("*.py")
        if "migrations" not in p.parts
    )


@pytest.mark.parametrize("package", QT_FREE)
def test_imports_without_pyside6(package: str) -> None:
    modules = _modules(package) if (ROOT.parent / package.replace(".", "/")).is_dir() else [package]
    script = textwrap.dedent(
        f"""
        import importlib, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
                    raise ImportError("PySide6 is not allowed here")
        sys.meta_path.insert(0, Block())
        for name in {modules!r}:
            importlib.import_module(name)
        assert not any(m.startswith("PySide6") for m in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["store", "sync", "ui", "documents", "core"])
def test_client_never_imports_server(package: str) -> None:
    for path in _files(package):
        bad = {n for n in _imported_names(path) if n == "fieldapp.server" or n.startswith("fieldapp.server.")}
        # the demo command is the one place allowed to start both sides
        if path.name == "demo.py":
            continue
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"


def test_core_imports_nothing_else_of_the_project() -> None:
    for path in _files("core"):
        bad = {
            n for n in _imported_names(path)
            if (n == "fieldapp" or n.startswith("fieldapp.")) and not n.startswith("fieldapp.core")
        }
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"


def test_only_ui_imports_pyside6() -> None:
    for path in ROOT.rglob("*.py"):
        if path.is_relative_to(ROOT / "ui"):
            continue
        bad = {n for n in _imported_names(path) if n.startswith("PySide6")}
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"
