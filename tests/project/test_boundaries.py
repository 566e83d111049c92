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
QT_FREE = ["fieldapp.app", "fieldapp.core", "fieldapp.store", "fieldapp.sync", "fieldapp.server",
           "fieldapp.protocol", "fieldapp.documents", "fieldapp.cli"]


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


@pytest.mark.parametrize("package", ["app", "store", "sync", "ui", "documents", "core"])
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


def test_ui_reaches_the_data_only_through_app() -> None:
    """The screens call fieldapp.app; the store, its models, SQLAlchemy and the sync client are below it."""
    for path in _files("ui"):
        bad = {n for n in _imported_names(path)
               if n.startswith(("fieldapp.store", "fieldapp.sync", "sqlalchemy", "requests"))}
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}: call a use case in fieldapp/app/ instead"


def test_server_services_know_no_http() -> None:
    """The server's rules raise domain errors; only server/api/ speaks HTTP and maps them to statuses."""
    for path in _files("server/services"):
        bad = {n for n in _imported_names(path)
               if n.startswith(("fastapi", "starlette", "uvicorn", "fieldapp.server.api", "fieldapp.cli"))}
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}: raise a fieldapp.server.errors error instead"


def test_only_the_api_and_the_commands_call_the_server_services() -> None:
    """The server's floors: cli/ and the demo → server/api/ → server/services/ → server/db (nothing upward)."""
    for path in _files("server"):
        if path.is_relative_to(ROOT / "server" / "api"):
            continue
        bad = {n for n in _imported_names(path) if n.startswith("fieldapp.server.api")}
        assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"
    for name in ("db.py", "security.py", "errors.py"):
        bad = {n for n in _imported_names(ROOT / "server" / name) if n.startswith("fieldapp.server.services")}
        assert not bad, f"server/{name} imports {bad}"


def test_everything_in_ui_is_qt() -> None:
    """A Qt-free module in ui/ is a use case in the wrong place (it belongs in app/, where the CLI can call it)."""
    for path in _files("ui"):
        # compat.py works around a bug of the Qt bindings (fieldapp/ui/compat.py): Qt's business, no Qt import
        if path.name in ("__init__.py", "compat.py"):
            continue
        names = _imported_names(path)
        assert any(n.startswith(("PySide6", "shiboken6")) for n in names), \
            f"{path.relative_to(ROOT.parent)} has no Qt: move it to fieldapp/app/"


def test_the_lower_floors_never_import_app_ui_or_cli() -> None:
    for package in ("core", "store", "sync", "documents"):
        for path in _files(package):
            bad = {n for n in _imported_names(path) if n.startswith(("fieldapp.app", "fieldapp.ui", "fieldapp.cli"))}
            assert not bad, f"{path.relative_to(ROOT.parent)} imports {bad}"


# ---------------------------------------------------------------------------------------- one clock
#: Calls that read the machine's wall clock or its time zone behind the caller's back. Code asks
#: fieldapp.core.clock (device_now, TrustedClock, CollectorDay, laptop_zone); tests take the ``now``,
#: ``clock`` and ``collector_day`` fixtures. An aware reading in UTC is still a read of the wall clock.
_IMPLICIT_TIME = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "localtime"), ("time", "ctime"), ("time", "strftime"),
    ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"), ("QDate", "currentDate"),
    ("QTime", "currentTime"), ("QTimeZone", "systemTimeZone"),
}
#: The one place each side reads the clock: the device's (core.clock), the server's (server.db.utcnow),
#: and the any-hour runner, which moves the clock by an offset from the real one.
_CLOCK_HOMES = {"fieldapp/core/clock.py", "fieldapp/server/db.py", "packaging/any_hour.py"}


def _implicit_time_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if (owner_name, node.func.attr) in _IMPLICIT_TIME:
            found.append(f"{path}:{node.lineno}: {owner_name}.{node.func.attr}()")
        elif node.func.attr == "astimezone" and not node.args and not node.keywords:
            found.append(f"{path}:{node.lineno}: .astimezone() with no zone (the machine's)")
        elif node.func.attr == "fromtimestamp" and len(node.args) < 2 and not node.keywords:
            found.append(f"{path}:{node.lineno}: fromtimestamp() with no zone (the machine's)")
    return found


def test_nothing_reads_the_wall_clock_or_the_machines_zone_implicitly() -> None:
    top = ROOT.parent
    files = [p for folder in ("fieldapp", "tests", "packaging") for p in (top / folder).rglob("*.py")]
    found = [hit for p in files if p.relative_to(top).as_posix() not in _CLOCK_HOMES
             for hit in _implicit_time_reads(p)]
    assert not found, "read the one clock instead (fieldapp.core.clock; tests: the now fixture):\n" + "\n".join(found)


def test_the_clock_rule_catches_what_it_says(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt, time\n"
                      "a = dt.datetime.now(dt.UTC)\nb = dt.date.today()\nc = time.time()\n"
                      "d = a.astimezone()\ne = a.astimezone(dt.UTC)\nf = dt.datetime.fromtimestamp(0)\n",
                      encoding="utf-8")
    hits = _implicit_time_reads(sample)
    assert [h.split(":")[1] for h in hits] == ["2", "3", "4", "5", "7"]


# ------------------------------------------------------------------------------------------- cycles
def _import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports, function-local imports included."""
    top = ROOT.parent
    modules = {".".join(p.relative_to(top).with_suffix("").parts).removesuffix(".__init__"): p
               for p in ROOT.rglob("*.py") if "migrations" not in p.parts}

    def resolve(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(resolve(a.name) for a in node.names if a.name.startswith("fieldapp."))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("fieldapp"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    deps.add(resolve(full) if full in modules else resolve(str(node.module)))
        graph[name] = deps - {name, "", "fieldapp"}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_counting_function_local_imports() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# ------------------------------------------------------------------------------------------- sizes
#: A module longer than this holds several things; split it by what it holds (STYLE.md).
MAX_MODULE_LINES = 650


def test_no_module_is_over_650_lines() -> None:
    long = {str(p.relative_to(ROOT.parent)): n for p in ROOT.rglob("*.py") if "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"split these by what they hold: {long}"
