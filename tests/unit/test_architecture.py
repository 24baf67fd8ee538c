"""The shape of the house (issue 9): no import circle between thidua's modules, a pure core,
and no reader module too long to read in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "thidua_cli"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, less the bodies of ``if TYPE_CHECKING:`` (names for the type checker only)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every thidua module ``path`` imports when it runs, at module level or in a function."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in known:
                found.add(name)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    graph = {}
    for name, path in mods.items():
        # A package's own __init__ naming its submodules (re-exports) is not a dependency of
        # those submodules on the package.
        graph[name] = {m for m in _imports(path, known) if m != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Importing ``a.b.c`` runs ``a.b``'s __init__; an __init__ that re-exports its submodules
    would make every submodule look circular. Edges *into* a package __init__ from its own
    submodules are what count, and those are kept."""
    packages = {n for n, p in _modules().items() if p.name == "__init__.py"}
    return {n: {m for m in deps if not (n in packages and m.startswith(n + "."))}
            for n, deps in graph.items()}


def test_no_import_circle() -> None:
    cycles = _cycles(_without_package_inits(_graph()))
    assert cycles == [], cycles


def test_the_core_is_pure() -> None:
    allowed = ("thidua_cli.core", "thidua_cli.model", "thidua_cli.errors", "thidua_cli.issues",
               "thidua_cli.config.sections")
    banned_libraries = {"openpyxl", "typer", "rich", "jinja2", "docx", "docxtpl", "xlsxwriter",
                        "python_calamine", "sqlite3", "click"}
    graph = _graph()
    for name, path in _modules().items():
        if not name.startswith("thidua_cli.core"):
            continue
        outside = {m for m in graph[name] if not m.startswith(allowed)}
        assert not outside, (name, outside)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & banned_libraries, (name, roots)


def test_reader_modules_are_readable_in_one_sitting() -> None:
    """The reader's and the format scanners' modules (io/reader, io/formats)."""
    for path in [*(PACKAGE / "io" / "reader").glob("*.py"),
                 *(PACKAGE / "io" / "formats").glob("*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, path.name


def test_cli_commands_are_thin() -> None:
    """A command parses options, calls one app function, presents: it reaches neither the
    readers and writers nor the deciding core (option parsers and constants are fine)."""
    deciding = tuple(f"thidua_cli.core.{m}" for m in (
        "scoring", "caps", "awards", "eligibility", "yearly", "quotas", "validation", "money"))
    for path in (PACKAGE / "cli").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) and n.module}
        assert not {m for m in imported if m.startswith(("thidua_cli.io.reader", *deciding))}, (
            path.name, imported)
