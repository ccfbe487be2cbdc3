"""The import architecture: import-linter's contracts (pyproject.toml, [tool.importlinter]) and no import cycles.

The contracts are checked by running ``lint-imports`` from the virtual environment that runs the tests; grimp,
under it, counts every import, those inside functions and under ``if TYPE_CHECKING:`` included. The cycle test
reads the source folders with :mod:`ast` and looks only at the imports a module runs when it is imported: two
modules that import each other that way fail at import time in some orders.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import networkx as nx
import pytest
from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = {"layers", "web-cli-independent", "acyclic-siblings", "app-factory-unimported", "store-without-versions"}

Edge = tuple[str, str]


def package_folders() -> dict[str, Path]:
    """The installed packages and their folders, from [tool.setuptools.package-dir]."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {package: ROOT / folder for package, folder in config["tool"]["setuptools"]["package-dir"].items()}


# import-linter ----------------------------------------------------------------------------------------------------


def test_contracts_are_configured() -> None:
    config = read_configuration(str(PYPROJECT))
    assert sorted(config["session_options"]["root_packages"]) == sorted(package_folders())
    assert {contract["id"] for contract in config["contracts_options"]} == CONTRACTS


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.fail(f"{lint_imports} is missing: install the dev extra (pip install -e '.[dev]')")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}{result.stderr}"


# Module-level import cycles ---------------------------------------------------------------------------------------


def source_modules(packages: Mapping[str, Path]) -> dict[str, Path]:
    """Each module's dotted name and file, for the packages and their folders."""
    modules: dict[str, Path] = {}
    for package, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join((package, *parts))] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_run_on_import(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported: not in functions, not under TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from imports_run_on_import(node.orelse)
        else:  # if/try/with/for/match/class bodies run at import time
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from imports_run_on_import([child])
                elif isinstance(child, ast.excepthandler | ast.match_case):
                    yield from imports_run_on_import(child.body)


def _known_prefix(name: str, known: Mapping[str, Path]) -> str | None:
    parts = name.split(".")
    while parts:
        if ".".join(parts) in known:
            return ".".join(parts)
        parts.pop()
    return None


def imported_modules(module: str, path: Path, known: Mapping[str, Path]) -> Iterator[tuple[str, int]]:
    """The known modules that ``module`` imports at import time, each with the line of the import."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in imports_run_on_import(tree.body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            # ``from package import name``: the submodule if there is one, else an attribute of the package.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source for alias in node.names
            ]
        for target in targets:
            found = _known_prefix(target, known)
            if found is not None and found != module:
                yield found, node.lineno


def import_time_graph(packages: Mapping[str, Path]) -> tuple[nx.DiGraph, dict[Edge, list[int]]]:
    modules = source_modules(packages)
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(modules)
    lines: dict[Edge, list[int]] = {}
    for module, path in modules.items():
        for target, line in imported_modules(module, path, modules):
            graph.add_edge(module, target)
            lines.setdefault((module, target), []).append(line)
    return graph, lines


def import_time_cycles(packages: Mapping[str, Path]) -> list[list[str]]:
    """Each strongly connected component of more than one module, as lines ``module:line -> imported``."""
    graph, lines = import_time_graph(packages)
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycles.append(
                sorted(
                    f"{importer}:{line} -> {imported}"
                    for importer, imported in graph.subgraph(component).edges
                    for line in lines[importer, imported]
                )
            )
    return sorted(cycles)


def test_no_module_level_import_cycles() -> None:
    packages = package_folders()
    graph, _ = import_time_graph(packages)
    assert graph.number_of_nodes() > len(packages) and graph.number_of_edges() > 0
    cycles = import_time_cycles(packages)
    assert not cycles, "modules that import each other at import time:\n" + "\n\n".join(
        "\n".join(cycle) for cycle in cycles
    )


def test_cycle_finder_counts_only_imports_run_at_import_time(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "import pkg.b\n",
        "b.py": "try:\n    from pkg import a\nexcept ImportError:\n    pass\n",
        "c.py": "def f():\n    from pkg.d import x\n",
        "d.py": "from pkg.c import f\n",
        "e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.f import T\n",
        "f.py": "from pkg.e import TYPE_CHECKING\n",
        "sub/__init__.py": "from .g import G\n",
        "sub/g.py": "class G:\n    from pkg.sub import h\n",
        "sub/h.py": "from ..sub import g\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    assert import_time_cycles({"pkg": package}) == [
        ["pkg.a:1 -> pkg.b", "pkg.b:2 -> pkg.a"],
        ["pkg.sub.g:2 -> pkg.sub.h", "pkg.sub.h:1 -> pkg.sub.g"],
    ]
