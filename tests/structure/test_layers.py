"""The shape of the code: an app-level import graph of `sightline/` (tests and migrations
left out) with no cycle, every import going down the layers of DESIGN.md, and no product
module grown past the size the house style allows without a written reason."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2] / "sightline"

# Lowest first; apps on one line may not import each other (site stands over api and demo).
LAYERS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"accounts"},
    {"people"},
    {"screening"},
    {"referrals"},
    {"escalation"},
    {"intel"},
    {"casework"},
    {"events"},
    {"workforce"},
    {"meetings"},
    {"reviews"},
    {"retention"},
    {"workflows"},
    {"reporting"},
    {"api", "demo"},
    {"site"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
MAX_MODULE_LINES = 400
# A module may pass the limit only with a reason written in its first lines.
SIZE_REASON = "Longer than 400 lines because"


def _product_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _imported_apps(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("sightline.") and n.count(".")}
    return found


def app_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in _product_modules():
        app = path.relative_to(ROOT).parts[0]
        if app.endswith(".py"):
            continue
        graph.add_node(app)
        for target in _imported_apps(path) - {app}:
            graph.add_edge(app, target)
    return graph


def test_the_app_import_graph_has_no_cycle() -> None:
    graph = app_graph()
    assert len(graph) >= len(RANK) - 1  # every app is seen (the graph is not empty by mistake)
    assert list(nx.simple_cycles(graph)) == []


def test_every_import_goes_down_the_layers() -> None:
    upward = defaultdict(list)
    for source, target in app_graph().edges:
        if RANK[target] >= RANK[source]:
            upward[source].append(target)
    assert dict(upward) == {}


def test_a_cycle_would_be_found() -> None:
    """The check itself: an upward edge added to the real graph makes a cycle."""
    graph = app_graph()
    graph.add_edge("core", "referrals")
    assert list(nx.simple_cycles(graph))


def test_no_product_module_is_past_400_lines_without_a_reason() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _product_modules()
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
        and SIZE_REASON not in "\n".join(path.read_text().splitlines()[:15])
    }
    assert long == {}
