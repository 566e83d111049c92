"""Languages: pick zh_CN or en (following the system by default), install translators, compile .ts.

The ``.ts`` files in ``resources/translations/`` are the sources translators edit; the ``.qm``
files next to them are compiled from them and committed, so a frozen build needs no Qt tools.
``python -m fieldapp.ui.i18n --update`` refreshes the ``.ts`` from the code (pyside6-lupdate);
``python -m fieldapp.ui.i18n --compile`` rebuilds every ``.qm`` (pyside6-lrelease). A test fails
when a committed ``.qm`` differs from a fresh compile of its ``.ts``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from fieldapp.ui.style import resource_bytes

log = logging.getLogger(__name__)

# Languages the app ships, as (code, name shown in the menu in that language).
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))
TS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
SOURCES = Path(__file__).resolve().parent

_installed: list[QTranslator] = []
_data: dict[str, bytes] = {}


def system_language() -> str:
    """``zh_CN`` when the system prefers Chinese, otherwise ``en``."""
    for name in QLocale.system().uiLanguages():
        if name.lower().startswith("zh"):
            return "zh_CN"
        if name.lower().startswith("en"):
            return "en"
    return "en"


def content_language(language: str) -> str:
    """The forms' language tag (``zh-CN`` or ``en``) for a Qt/UI language name (``zh_CN``, ``en``)."""
    return "zh-CN" if language.lower().replace("_", "-").startswith("zh") else "en"


def resolve(language: str) -> str:
    """The language to use for a setting ("" means follow the system)."""
    return language if language in dict(LANGUAGES) else system_language()


def install(app: QCoreApplication, language: str) -> str:
    """Replace the installed translators with those for ``language``; returns the language used.

    Also sets the default QLocale, so dates and numbers follow the chosen language.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve(language)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if language == "en":
        return language  # the source strings are English
    ours = QTranslator(app)
    try:
        data = resource_bytes("translations", f"fieldapp_{language}.qm")
    except FileNotFoundError:
        log.error("no compiled translation for %s; showing English", language)
        data = b""
    # QTranslator reads the bytes in place and does not copy them: keep them alive with it.
    _data[language] = data
    if data and ours.load(data):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_base = QTranslator(app)  # Qt's own strings: standard buttons, context menus
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return language


# ------------------------------------------------------------------------------ build helpers
def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with PySide6)")
    return found


def ts_files() -> list[Path]:
    return sorted(TS_DIR.glob("fieldapp_*.ts"))


def compile_ts(ts: Path, qm: Path) -> None:
    """Compile one .ts to .qm with pyside6-lrelease (deterministic for the same input)."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def update_ts() -> None:
    """Refresh every .ts from the ui sources (keeps existing translations, drops vanished strings)."""
    sources = sorted(str(p) for p in SOURCES.rglob("*.py"))  # with sub-packages (visit, notices, plans)
    for language, _ in LANGUAGES:
        if language == "en":
            continue
        ts = TS_DIR / f"fieldapp_{language}.ts"
        subprocess.run([_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                        *sources, "-ts", str(ts)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fieldapp.ui.i18n", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="refresh the .ts files from the sources")
    parser.add_argument("--compile", action="store_true", help="compile every .ts to its .qm")
    args = parser.parse_args(argv)
    if not (args.update or args.compile):
        parser.print_help()
        return 2
    if args.update:
        update_ts()
    if args.compile:
        for ts in ts_files():
            compile_ts(ts, ts.with_suffix(".qm"))
            print(f"compiled {ts.with_suffix('.qm').relative_to(TS_DIR.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
