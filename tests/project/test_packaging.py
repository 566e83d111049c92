"""The package list in pyproject.toml covers every code and data folder, so a wheel or bundle has them all."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def _folders(base: Path, prefix: str) -> set[str]:
    names = {prefix}
    for path in base.rglob("*"):
        if path.is_dir() and "__pycache__" not in path.parts and any(p.is_file() for p in path.iterdir()):
            names.add(prefix + "." + ".".join(path.relative_to(base).parts))
    return names


def test_every_folder_is_a_declared_package() -> None:
    expected = (_folders(ROOT / "fieldapp", "fieldapp") | _folders(ROOT / "resources", "fieldapp.resources")
                | _folders(ROOT / "forms", "fieldapp.forms"))
    missing = sorted(expected - _declared())
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_resources_are_found_through_importlib() -> None:
    from importlib.resources import files

    assert (files("fieldapp.resources") / "fonts" / "DroidSansFallbackFull.ttf").is_file()
    assert any(p.name.endswith(".yaml") for p in (files("fieldapp.forms") / "scripts").iterdir())
