"""The import graph of ``src/ledinfo``, measured from the source with ``ast``: what issue 26 counts.

    .venv/bin/python scripts/import_graph.py            # pairs, circles, function-level imports
    .venv/bin/python scripts/import_graph.py --edges    # also every package -> package edge, with an example

A module's edges are its imports of other ``ledinfo`` modules at any depth (function-level and
``if TYPE_CHECKING:`` ones too: a deferred import is still a dependency). ``from ledinfo.x import y``
is an edge to ``ledinfo.x.y`` when that is a module, else to ``ledinfo.x``. A package is the first name
below ``ledinfo`` (``errors.py`` and ``hookspecs.py`` are packages of their own); ``plugins/`` is left out
(its modules import ``ledinfo.api`` only, tests/test_layout.py holds that).

A circle is a strongly connected component of the graph of imports that run (those under
``if TYPE_CHECKING:`` left out: annotations only); a function-level import is any ``import``
statement inside a function body, of ledinfo or anything else.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "ledinfo"


@dataclass(frozen=True)
class Import:
    module: str        # the importing module
    target: str        # the imported ledinfo module ("" when not ledinfo)
    line: int
    in_function: bool
    text: str          # the imported name as written
    comment: str       # the comment on the import's line or the line above, if any
    type_only: bool = False  # under ``if TYPE_CHECKING:``: never runs


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules(src: Path = SRC) -> dict[str, Path]:
    return {module_name(p, src): p for p in sorted(src.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def imports_of(path: Path, modules: dict[str, Path], src: Path = SRC) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    me = module_name(path, src)
    found: list[Import] = []

    def comment_at(lineno: int) -> str:
        here = lines[lineno - 1]
        text = here.split("#", 1)[1].strip() if "#" in here else ""
        above = lines[lineno - 2].strip() if lineno >= 2 else ""
        if not text and above.startswith("#"):
            text = above.lstrip("# ")
        return text

    def type_checking(node: ast.AST) -> bool:
        test = getattr(node, "test", None)
        return isinstance(node, ast.If) and (
            (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))

    def visit(node: ast.AST, in_function: bool, type_only: bool = False) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _resolve(alias.name, modules) if alias.name.split(".")[0] == "ledinfo" else ""
                    found.append(Import(me, target, child.lineno, in_function, alias.name, comment_at(child.lineno),
                                        type_only))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
                    package = package[: len(package) - (child.level - 1)]
                    base = ".".join(package + ([base] if base else []))
                for alias in child.names:
                    if base.split(".")[0] == "ledinfo":
                        full = f"{base}.{alias.name}"
                        target = full if full in modules else _resolve(base, modules)
                    else:
                        target = ""
                    found.append(Import(me, target, child.lineno, in_function, f"{base}:{alias.name}",
                                        comment_at(child.lineno), type_only))
            visit(child, inside, type_only or type_checking(child))

    visit(tree, False)
    return found


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def measure(src: Path = SRC, include_plugins: bool = False) -> dict:
    everything = all_modules(src)
    modules = {m: p for m, p in everything.items() if include_plugins or package_of(m) != "plugins"}
    every = [imp for m, p in modules.items() for imp in imports_of(p, everything, src)]
    edges: dict[str, set[str]] = defaultdict(set)  # imports that run (a circle of them is fragile)
    for imp in every:
        if imp.target and imp.target != imp.module and imp.target in modules and not imp.type_only:
            edges[imp.module].add(imp.target)
    packages: dict[str, dict[str, list[Import]]] = defaultdict(lambda: defaultdict(list))
    for imp in every:
        if imp.target and imp.target in modules and package_of(imp.module) != package_of(imp.target):
            packages[package_of(imp.module)][package_of(imp.target)].append(imp)
    pairs = sorted({tuple(sorted((a, b))) for a in packages for b in packages[a] if a in packages.get(b, {})})
    return {
        "modules": modules,
        "imports": every,
        "edges": edges,
        "packages": packages,
        "pairs": pairs,
        "circles": circles(modules, edges),
        "package_circles": circles(set(packages) | {b for a in packages for b in packages[a]},
                                   {a: set(bs) for a, bs in packages.items()}),
        "in_function": [imp for imp in every if imp.in_function],
    }


def circles(nodes, edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            strong(v)
    return sorted(out, key=lambda c: (-len(c), c))


def report(result: dict, show_edges: bool = False) -> str:
    short = lambda m: m.removeprefix("ledinfo.")  # noqa: E731
    out = []
    packages = result["packages"]
    n_edges = sum(len(bs) for bs in packages.values())
    out.append(f"modules: {len(result['modules'])}; module edges: {sum(len(v) for v in result['edges'].values())}; "
               f"package edges: {n_edges}")
    out.append(f"\ntwo-way package pairs: {len(result['pairs'])}")
    for a, b in result["pairs"]:
        ab = sorted({f"{short(i.module)}->{short(i.target)}" for i in packages[a][b]})
        ba = sorted({f"{short(i.module)}->{short(i.target)}" for i in packages[b][a]})
        out.append(f"  {a} <-> {b}:  {a}->{b} {len(ab)} ({', '.join(ab[:3])}{' …' if len(ab) > 3 else ''});  "
                   f"{b}->{a} {len(ba)} ({', '.join(ba[:3])}{' …' if len(ba) > 3 else ''})")
    out.append(f"\npackage circles (strongly connected sets of packages): {len(result['package_circles'])}")
    for c in result["package_circles"]:
        out.append(f"  {len(c)}: {', '.join(c)}")
    out.append(f"\nmodule circles (strongly connected sets of modules): {len(result['circles'])}")
    for c in result["circles"]:
        out.append(f"  {len(c)}: {', '.join(short(m) for m in c)}")
    fn = result["in_function"]
    fn_ledinfo = [i for i in fn if i.target]
    statements = {(i.module, i.line) for i in fn}
    out.append(f"\nimports inside functions: {len(statements)} statements, {len(fn)} names "
               f"({len(fn_ledinfo)} of ledinfo modules, {len(fn) - len(fn_ledinfo)} of other libraries)")
    for i in fn:
        out.append(f"  {short(i.module)}:{i.line}  {i.text}" + (f"   # {i.comment}" if i.comment else ""))
    if show_edges:
        out.append("\npackage edges:")
        for a in sorted(packages):
            for b in sorted(packages[a]):
                example = packages[a][b][0]
                out.append(f"  {a} -> {b}  ({len(packages[a][b])} imports; e.g. {short(example.module)}:{example.line})")
    return "\n".join(out)


if __name__ == "__main__":
    print(report(measure(), show_edges="--edges" in sys.argv))
