"""GIVEN every package of the project (the runtime, the operator CLI, the local stack, the
infrastructure) WHEN their imports are read (module level and deferred alike) THEN no module
reaches itself again, and the runtime's layers only import downwards: the kernel nothing above
it, the agents no workflow, and only the composition root builds adapters."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"valine": ROOT / "lambdas" / "valine", "valine_cli": ROOT / "cli" / "valine_cli",
            "valine_local": ROOT / "local" / "valine_local", "infra": ROOT / "infra"}

# The runtime's layers, lowest first. A module may import its own layer and the ones below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("kernel", ("valine.core",)),
    ("shared", ("valine.cache", "valine.logs", "valine.markup", "valine.metrics", "valine.settings",
                "valine.site", "valine.discord.types")),
    ("agents", ("valine.agents",)),
    ("workflow", ("valine.workflow", "valine.discord", "valine.commands", "valine.ops", "valine.feedback",
                  "valine.answers", "valine.github_webhook", "valine.interactions")),
    ("adapters", ("valine.adapters",)),
    ("root", ("valine.wiring", "valine.handlers", "valine")),
]
# Whole packages, lowest first: the runtime knows nothing of the tools around it.
PACKAGE_ORDER = ["valine", "infra", "valine_local", "valine_cli"]


def _module(path: Path, base: Path) -> str:
    parts = path.relative_to(base.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def graph(packages: dict[str, Path] = PACKAGES) -> dict[str, set[str]]:
    modules = {_module(p, base): p for base in packages.values() for p in base.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name and not name.startswith(target + "."):
                    edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def layer_of(module: str) -> int:
    """The layer of the longest prefix that names ``module`` (valine.discord.types is shared,
    the rest of valine.discord is workflow)."""
    best, best_len = len(LAYERS) - 1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Runtime imports that run from a lower layer to a higher one, or to an adapter from
    anywhere but the composition root and the adapters themselves."""
    out = []
    for source, targets in edges.items():
        if not source.startswith("valine.") or source.startswith("valine_"):
            continue
        for target in targets:
            if not target.startswith("valine.") or target.startswith("valine_"):
                continue
            if target.startswith("valine.adapters") and not source.startswith(("valine.adapters", "valine.wiring")):
                out.append(f"{source} -> {target}: only the composition root (valine.wiring) builds adapters")
            elif layer_of(target) > layer_of(source) and not target.startswith("valine.adapters"):
                out.append(f"{source} ({LAYERS[layer_of(source)][0]}) -> {target} ({LAYERS[layer_of(target)][0]})")
    return sorted(out)


def across_packages(edges: dict[str, set[str]]) -> list[str]:
    def package(module: str) -> str:
        return module.split(".", 1)[0]

    return sorted(f"{s} -> {t}" for s, ts in edges.items() for t in ts
                  if PACKAGE_ORDER.index(package(t)) > PACKAGE_ORDER.index(package(s)))


def test_no_package_has_an_import_cycle():
    edges = graph()
    assert len([m for m in edges if m.startswith("valine.")]) > 40
    assert len([m for m in edges if m.startswith(("valine_cli", "valine_local"))]) > 20
    assert cycles(edges) == []


def test_the_runtime_only_imports_downwards():
    assert upward(graph()) == []


def test_the_runtime_knows_nothing_of_the_cli_the_local_stack_or_the_infrastructure():
    assert across_packages(graph()) == []


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_checker_finds_an_upward_import_and_an_adapter_outside_the_root():
    edges = {"valine.core.task": {"valine.workflow.lifecycle"}, "valine.workflow.work": {"valine.adapters.sqs"},
             "valine.wiring": {"valine.adapters.sqs"}, "valine.agents.ux.work": {"valine.core.task"}}
    found = upward(edges)
    assert len(found) == 2
    assert found[0].startswith("valine.core.task (kernel) -> valine.workflow.lifecycle (workflow)")
    assert "only the composition root" in found[1]
