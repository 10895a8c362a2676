"""The package's shape: no import cycles among zanqa modules, LangChain off the
engine's import path, the product never importing its measurements."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "zanqa"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the zanqa modules it imports anywhere (top level or inside functions)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zanqa"):
                found.add(node.module if node.module in modules else node.module.rsplit(".", 1)[0])
                for alias in node.names:  # `from zanqa import cli`
                    if f"{node.module}.{alias.name}" in modules:
                        found.add(f"{node.module}.{alias.name}")
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in modules}
        graph[name] = {m for m in found if m in modules and m != name and m != "zanqa"}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    # Fails if find_cycle cannot see a cycle (the test below would then pass vacuously).
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles_among_zanqa_modules():
    # Fails if two zanqa modules import each other, directly or through others.
    graph = import_graph()
    assert "zanqa.engine" in graph and "zanqa.cli" in graph
    assert find_cycle(graph) is None


def test_the_product_never_imports_the_experiments():
    # Fails if a product module imports zanqa.experiments (only the CLI wires them in).
    graph = import_graph()
    for module, imports in graph.items():
        if module.startswith("zanqa.experiments") or module == "zanqa.cli":
            continue
        assert not {m for m in imports if m.startswith("zanqa.experiments")}, module


def test_importing_the_engine_and_answer_does_not_import_langchain():
    # Fails if `zanqa ask` and the app pay for importing LangChain (adapters belong in zanqa.adapters).
    code = (
        "import sys, zanqa.engine, zanqa.answer; print(any(m.startswith('langchain') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
