"""#21: every public class and function of the kernel (ports included) says in one line what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "lambdas" / "valine" / "core"


def test_every_public_class_and_function_of_the_kernel_has_a_docstring() -> None:
    missing = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.name.startswith("_"):
                continue
            members = [node] + [m for m in getattr(node, "body", []) if isinstance(m, ast.FunctionDef)
                                and not m.name.startswith("_")] if isinstance(node, ast.ClassDef) else [node]
            missing += [f"{path.name}:{m.lineno} {m.name}" for m in members if not ast.get_docstring(m)]
    assert missing == []
