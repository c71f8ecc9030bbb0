"""The package's shape: data flows one way between its modules.

Every `import` of the package counts, also one inside a function (a lazy import still makes
the two modules depend on each other), except those under `if TYPE_CHECKING:`, which only
name types. No module may reach another's private names (`_name`) across packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "actionplan"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    return skipped


def imports(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for each import of the package in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_blocks(tree)
    own = module_name(path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("actionplan"):
                    yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = own.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.startswith("actionplan"):
                yield base, [a.name for a in node.names], node.lineno


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, names, _line in imports(path):
            # `from actionplan.render import html` imports the module actionplan.render.html.
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            edges[name].update(submodules)
            # Names taken from a module itself; `from package import submodule` takes none.
            if target in modules and target != name and len(submodules) < max(len(names), 1):
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def test_the_finder_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(graph()) == []


def test_no_private_name_is_imported_from_another_package() -> None:
    """A private name (`_decode`) is its own package's business."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    reached = []
    for name, path in modules.items():
        for target, names, line in imports(path):
            target_path = modules.get(target)
            if target_path is None:
                continue
            other_package = _package_of(target, target_path) != _package_of(name, path)
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if other_package and private:
                reached.append(f"{path.relative_to(PACKAGE)}:{line}: {target}.{private}")
    assert reached == []
