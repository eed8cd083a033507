"""The package's import graph: one way, no cycle, no private name imported across modules.

Every ``from .x import y`` counts, at the top of a module, inside a function or under
``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__import__("mmsurv").__file__).parent

#: Modules that import nothing of the package but these.
LEAVES = {
    "catalog": set(),
    "errors": set(),
    "files": set(),
    "printed": set(),
    "formatting": set(),
    "tolerances": {"errors", "printed", "views"},
    "views": set(),
}
#: Modules that work on what they are given: no study loading, no reconstruction.
GIVEN = ("analysis", "_audit", "check", "meta", "crosstrial", "published")
REBUILDERS = {
    "load_study",
    "reconstruct",
    "reconstruct_arrays",
    "guyot",
    "guyot_arrays",
    "summary_curves",
    "summary_arms",
    "arm_from_summaries",
}


def _imports() -> dict[str, list[tuple[str, str]]]:
    """Per module: (module imported, name imported) for every relative import."""
    graph: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        module = path.stem
        edges = graph.setdefault(module, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                for alias in node.names:
                    target = node.module or alias.name
                    edges.append((target.split(".")[0], alias.name))
    return graph


GRAPH = _imports()


def test_the_import_graph_has_no_cycle():
    deps = {
        m: {t for t, _ in edges if t in GRAPH and t != "__init__"} for m, edges in GRAPH.items()
    }
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        if state.get(module) == 2:
            return
        if state.get(module) == 1:
            cycle = [*trail[trail.index(module) :], module]
            pytest.fail(f"import cycle: {' -> '.join(cycle)}")
        state[module] = 1
        for dep in sorted(deps[module]):
            visit(dep, [*trail, module])
        state[module] = 2

    for module in sorted(deps):
        if module != "__init__":
            visit(module, [])


def test_no_module_imports_a_private_name_of_another():
    private = [
        f"{module} imports {name} from {target}"
        for module, edges in GRAPH.items()
        for target, name in edges
        if name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert private == []


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_leaf_modules_import_only_below_them(leaf):
    assert {t for t, _ in GRAPH[leaf]} <= LEAVES[leaf]


@pytest.mark.parametrize("module", GIVEN)
def test_analysis_and_reports_neither_load_studies_nor_reconstruct(module):
    used = {name for target, name in GRAPH[module] if target != "pipeline"}
    assert all(target != "pipeline" for target, _ in GRAPH[module])
    assert not used & REBUILDERS


def test_the_checker_sees_what_it_should():
    """The graph holds the package's imports (a broken parser would pass everything)."""
    assert ("study", "load_study") in GRAPH["pipeline"]
    assert ("printed", "z_critical") in GRAPH["synthesis"]


def test_no_public_name_hides_a_module():
    """``mmsurv.guyot`` is the function: no module of the package has a public name's name."""
    import mmsurv

    assert not set(mmsurv.__all__) & set(GRAPH)
