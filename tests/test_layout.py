"""The layout's rules, checked on the source: the layers, built-ins use only the public API, core never names a built-in.

``LAYERS`` is the code map: every package from the bottom up, what it holds and exactly which
packages it imports. The tests measure the real import graph (``scripts/import_graph.py``, with
``ast``) and fail when it differs from the table, when the table has a package import one above it
(so no two packages import each other and no circle can form), when modules import each other in a
circle, or when an import inside a function does not say why it is deferred. The README's code map
is this table: ``.venv/bin/python tests/test_layout.py`` writes it there, and a test checks it is.

The other tests hold the two rules a plugin author relies on (issue 13): anything a built-in plugin
uses, an external one can use too.
"""

import ast
import functools
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "ledinfo"
EXTERNAL = ROOT / "plugins"
README = ROOT / "README.md"

_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = sys.modules["import_graph"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

# The code map, from the bottom up: (package, what it holds, the packages it imports — exactly these).
# A package may import only packages listed before it. `ledinfo` is the package's own __init__ (the version).
LAYERS = [
    ("errors", "the exceptions and exit codes every layer raises", ()),
    ("ledinfo", "`__init__.py`: the version", ()),
    ("language", "the language and its catalogue (Babel): `N_`, `Language`, numbers, dates and periods in words",
     ("errors",)),
    ("privacy", "CPR numbers by their shape, redaction of what is printed (a whole line at a time)", ()),
    ("outside", "outside input confined and checked: every file a user or config names opened inside its folder "
     "(`files.py`), every mail header value (`headers.py`)", ("errors", "privacy")),
    ("model", "the data-only bottom layer: periods and the working-day calendar (`period.py`), audiences, the "
     "config's types (`config.py`), plugin settings and the checked kinds of setting their fields use "
     "(`fields.py`), the typed section result and its verdicts", ("errors", "language", "outside", "privacy")),
    ("words", "how a number is said: labels, the formatting of figures and verdicts, the sentences sections use",
     ("language", "model")),
    ("runtime", "process machinery below the stages: stop signals, warm worker processes, the staged output "
     "folder and its atomic swap (`staging.py`), timings, which code is running (`code.py`), the user's cache "
     "folder (`user_cache.py`); a worker's console redacted as the parent's",
     ("errors", "ledinfo", "privacy")),
    ("extract", "stage 1: the extract format, reading files and folders, validation, mapping, `point_in_time.py`",
     ("errors", "language", "model", "outside", "privacy")),
    ("domain", "stage 2, compute: the legal rule catalogue, national references, the `Indicator` contract, "
     "`indicators/` as plain functions over Polars frames", ("errors", "extract", "language", "model")),
    ("disclosure", "stage 3, disclose: a team's rows, the `View` (who a pack is for), the pack-wide audience filter, "
     "the committee's protection across the series and its exact audit, the final read-back guard (`guard.py`; the "
     "outputs read back as text, `read_back.py`)",
     ("domain", "errors", "extract", "language", "model", "privacy", "words")),
    ("interfaces", "what plugins implement: `Source`, `Section` with its `SectionContext` and `Action`, `Delivery`",
     ("disclosure", "domain", "errors", "extract", "model")),
    ("texts", "stage 4, texts: a pack's content — template, the administration's comments, the summary page, what of "
     "a chart a reader can take in", ("disclosure", "errors", "extract", "interfaces", "language", "model", "outside",
                                       "privacy", "words")),
    ("render", "stage 5: PDF (ReportLab; header words broken only at a hyphenation point), charts (Altair + "
     "vl-convert), JSON, the verdict columns, the work shared out to the workers (`parallel.py`)",
     ("disclosure", "language", "model", "texts", "runtime", "words")),
    ("config", "reading the TOML config file and checking it whole against the models (the core's in "
     "`model/config_file.py`, the plugins' own), every problem with its key path (`file.py`)",
     ("domain", "errors", "extract", "interfaces", "model", "privacy")),
    ("hookspecs", "`hookspecs.py`: the hooks, with their reference docs (types only)", ("interfaces", "model")),
    ("plugin_host", "the pluggy manager (`manager.py`), the registry that checks and remembers registrations",
     ("errors", "extract", "hookspecs", "interfaces", "ledinfo", "model")),
    ("pipeline", "the one `Pipeline` (`build.py`): plan → fingerprint → reuse → load → compute → disclose → texts → "
     "render → publish; the one reuse check (`reuse.py`), the manifest, several municipalities",
     ("config", "disclosure", "domain", "errors", "extract", "interfaces", "language", "ledinfo", "model", "outside",
      "privacy", "texts", "plugin_host", "render", "runtime")),
    ("delivery", "stage 7, deliver: `ledinfo run`: the pipeline's published packs, delivered through the delivery "
     "plugin, with the ledger", ("errors", "interfaces", "model", "outside", "pipeline", "plugin_host",
                                 "privacy", "runtime")),
    ("demo", "the demo municipality's generator", ("domain", "language", "model")),
    ("api", "the public API for plugins: interfaces, result types, helpers; `api/domain.py` the indicator library; "
     "`api/testing.py` the test kit; `api/attack/` its attacker on the committee packs", (
         "demo", "disclosure", "domain", "errors", "extract", "interfaces", "language", "model", "outside", "texts",
         "pipeline", "plugin_host", "render", "runtime", "words")),
    ("plugins", "the built-in plugins: sources, sections, targets, deliveries (`ledinfo.api` only)", ("api",)),
    ("cli", "the `ledinfo` command line (click), `new-plugin`", (
        "config", "delivery", "demo", "domain", "errors", "extract", "ledinfo", "model", "pipeline", "plugin_host",
        "privacy", "runtime")),
    ("__main__", "`python -m ledinfo`", ("cli",)),
]


def ledinfo_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a ledinfo module in ``path``, at any depth (function-level too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name == "ledinfo" or name.startswith("ledinfo.")]
    return found


def test_built_in_plugins_import_only_the_public_api():
    plugins = sorted((SRC / "plugins").glob("*.py"))
    assert len(plugins) >= 14
    wrong = [f"{path.name}:{line}: {module}" for path in plugins for line, module in ledinfo_imports(path)
             if module not in ("ledinfo.api", "ledinfo.api.domain")]
    assert not wrong, "built-in plugins must import from ledinfo.api only:\n" + "\n".join(wrong)


def test_external_plugins_import_only_the_public_api():
    modules = sorted(EXTERNAL.glob("*/src/**/*.py"))
    assert modules
    wrong = [f"{path}:{line}: {module}" for path in modules for line, module in ledinfo_imports(path)
             if module not in ("ledinfo.api", "ledinfo.api.domain")]
    assert not wrong, "\n".join(wrong)


def test_core_never_names_a_built_in_plugin():
    """Only the plugin manager's list of built-ins names them; everything else goes through the registry."""
    core = [path for path in SRC.rglob("*.py") if "plugins" not in path.relative_to(SRC).parts]
    wrong = [f"{path.relative_to(SRC)}:{line}: {module}" for path in core for line, module in ledinfo_imports(path)
             if module.startswith("ledinfo.plugins")]
    assert not wrong, "\n".join(wrong)
    listed = (SRC / "plugin_host" / "manager.py").read_text(encoding="utf-8")
    for path in (SRC / "plugins").glob("[!_]*.py"):
        assert f'"ledinfo.plugins.{path.stem}"' in listed, f"{path.stem} is not in BUILTIN_PLUGINS"


def test_the_readme_code_map_names_every_package():
    readme = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    packages = sorted(p.parent.name for p in SRC.glob("*/__init__.py"))
    missing = [name for name in packages if f"`{name}/`" not in readme]
    assert not missing, f"packages missing from the README's code map: {missing}"


@functools.cache
def _graph() -> dict:
    return import_graph.measure(SRC, include_plugins=True)


def _table() -> dict[str, set[str]]:
    return {name: set(imports) for name, _, imports in LAYERS}


def test_the_import_graph_is_the_table():
    """Each package imports exactly the packages the code map lists: a new import is a change to the map."""
    graph = _graph()
    real = {package: set(targets) for package, targets in graph["packages"].items()}
    table = _table()
    missing = sorted((set(real) | {p for _, _, imports in LAYERS for p in imports}) - set(table))
    assert not missing, f"packages not in LAYERS: {missing}"
    wrong = []
    for package in table:
        found = real.get(package, set())
        for extra in sorted(found - table[package]):
            example = graph["packages"][package][extra][0]
            wrong.append(f"{package} imports {extra} ({example.module}:{example.line}), which LAYERS does not list")
        for gone in sorted(table[package] - found):
            wrong.append(f"{package} no longer imports {gone}: take it out of LAYERS")
    assert not wrong, "the import graph differs from the code map (tests/test_layout.py LAYERS):\n" + "\n".join(wrong)


def test_every_layer_imports_only_layers_below_it():
    """No two packages import each other and no packages import each other in a circle: the table is ordered."""
    seen: set[str] = set()
    upward = []
    for name, _, imports in LAYERS:
        upward += [f"{name} imports {other}, listed above it" for other in imports if other not in seen]
        seen.add(name)
    assert not upward, "\n".join(upward)
    assert len(seen) == len(LAYERS)


def test_no_modules_import_each_other_in_a_circle():
    circles = _graph()["circles"]
    assert not circles, "modules that import each other in a circle:\n" + "\n".join(" → ".join(c) for c in circles)


def test_an_import_inside_a_function_says_why_it_is_deferred():
    """A function-level import is there only to defer a heavy library on purpose: a ``# deferred: why`` beside it."""
    graph = _graph()
    silent = sorted({f"{i.module}:{i.line}: {i.text}" for i in graph["in_function"]
                     if not i.comment.lower().split("- ")[-1].startswith("deferred")})
    assert not silent, "imports inside functions without a '# deferred: <reason>' beside them:\n" + "\n".join(silent)


def test_the_check_finds_a_planted_two_way_import_and_circle(tmp_path):
    """The measurement the tests above rely on sees a two-way pair of packages and a circle of modules."""
    root = tmp_path / "ledinfo"
    planted = {"low": "from ledinfo.high.b import B\nA = 1\n", "high": "from ledinfo.low.a import A\nB = 2\n"}
    for package, source in planted.items():
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / ("a.py" if package == "low" else "b.py")).write_text(source)
    (root / "__init__.py").write_text("")
    graph = import_graph.measure(root)
    assert graph["pairs"] == [("high", "low")]
    assert graph["circles"] == [["ledinfo.high.b", "ledinfo.low.a"]]


MAP_START = "<!-- code map: written by tests/test_layout.py from LAYERS; edit it there -->"
MAP_END = "<!-- end of the code map -->"


def code_map() -> str:
    """The README's code map: LAYERS from the top down, as a reader meets the packages."""
    rows = ["| package | holds | imports (exactly; each is listed below it) |", "|---|---|---|"]
    for name, holds, imports in reversed(LAYERS):
        shown = f"`{name}/`" if (SRC / name / "__init__.py").exists() and name != "ledinfo" else f"`{name}`"
        rows.append(f"| {shown} | {holds} | {', '.join(f'`{i}`' for i in sorted(imports)) or 'nothing of ledinfo'} |")
    return "\n".join([MAP_START, *rows, MAP_END])


def test_the_readme_code_map_is_the_table():
    readme = README.read_text(encoding="utf-8")
    assert MAP_START in readme and MAP_END in readme, "the README has no generated code map"
    shown = readme[readme.index(MAP_START):readme.index(MAP_END) + len(MAP_END)]
    assert shown == code_map(), "the README's code map is not LAYERS: run .venv/bin/python tests/test_layout.py"


if __name__ == "__main__":  # rewrite the README's code map from LAYERS
    text = README.read_text(encoding="utf-8")
    start, end = text.index(MAP_START), text.index(MAP_END) + len(MAP_END)
    README.write_text(text[:start] + code_map() + text[end:], encoding="utf-8")
    print("wrote the code map into", README, file=sys.stderr)
