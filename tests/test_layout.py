"""The layout's rules, checked on the source: built-ins use only the public API, and core never names a built-in.

The README's code map says what each package may import; these tests hold the two rules a
plugin author relies on (issue 13): anything a built-in plugin uses, an external one can use too.
"""

import ast
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "ledinfo"
EXTERNAL = Path(__file__).parent.parent / "plugins"


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
