"""The public plugin API: small, every name documented, versioned, listed in docs/plugins.md, used alone.

The reference (``make docs``: pdoc, scripts/docs) is written from the docstrings, so a name documented
here is documented there: the docstrings are read through pdoc's own model, as the reference reads them.
"""

import ast
import importlib.machinery
import importlib.util
import inspect
import re
from pathlib import Path

import pdoc.doc
import pytest

import ledinfo.api
import ledinfo.api.domain
import ledinfo.api.testing
import ledinfo.demo
import ledinfo.hookspecs
from ledinfo.cli.new_plugin import KINDS, scaffold

ROOT = Path(__file__).parent.parent
PLUGINS_MD = ROOT / "docs" / "plugins.md"
PUBLIC = {"ledinfo.api": ledinfo.api, "ledinfo.api.domain": ledinfo.api.domain, "ledinfo.api.testing": ledinfo.api.testing}


def _says_something(doc: str | None, name: str) -> str | None:
    """Why ``doc`` says nothing about ``name``, or None when it says something."""
    doc = (doc or "").strip()
    if not doc:
        return "no docstring"
    if doc.startswith(f"{name}(") or re.fullmatch(rf"`*{re.escape(name)}`*\.?", doc):
        return f"a docstring that only names it: {doc[:60]!r}"
    if len(re.findall(r"\w+", doc)) < 4:
        return f"a docstring of fewer than four words: {doc!r}"
    return None


@pytest.mark.parametrize("module", list(PUBLIC.values()), ids=list(PUBLIC))
def test_every_public_name_has_a_docstring_that_says_something(module):
    for name in module.__all__:  # the demo generator's names load when first asked for (NumPy): ask now
        getattr(module, name)
    documented = pdoc.doc.Module(module)
    lazy = pdoc.doc.Module(ledinfo.demo)  # where those are documented
    silent = []
    for name in module.__all__:
        member = documented.get(name)
        if module is ledinfo.api.domain and name in ledinfo.api.domain._DEMO:
            member = lazy.get(name)
        problem = "pdoc does not find it" if member is None else _says_something(member.docstring, name)
        if problem:
            silent.append(f"{module.__name__}.{name}: {problem}")
    assert not silent, "\n".join(silent)


def test_every_public_method_of_a_public_class_has_a_docstring():
    """What a plugin overrides (``Section.compute``) or calls (``SectionResult.figure``) is documented too."""
    silent = []
    for module in PUBLIC.values():
        for name in module.__all__:
            cls = getattr(module, name)
            if not inspect.isclass(cls) or issubclass(cls, BaseException):
                continue
            for attribute, member in vars(cls).items():
                function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if attribute.startswith("_") or not inspect.isfunction(function):
                    continue
                problem = _says_something(function.__doc__, attribute)
                if problem:
                    silent.append(f"{module.__name__}.{name}.{attribute}: {problem}")
    assert not silent, "\n".join(silent)


def test_every_hook_has_a_docstring_that_says_something():
    hooks = [name for name, f in vars(ledinfo.hookspecs).items() if hasattr(f, "ledinfo_spec")]
    assert len(hooks) >= 5
    silent = [f"{hook}: {problem}" for hook in hooks
              if (problem := _says_something(getattr(ledinfo.hookspecs, hook).__doc__, hook))]
    assert not silent, "\n".join(silent)
    for hook in hooks:  # the reference shows when it is called and an example
        doc = getattr(ledinfo.hookspecs, hook).__doc__
        assert "Called" in doc and "Example::" in doc, hook


def _listed(module_name: str) -> list[str]:
    """The names docs/plugins.md lists for ``module_name``: the second column of its table."""
    text = PLUGINS_MD.read_text(encoding="utf-8")
    start = text.index(f"<!-- the public API: {module_name} ")
    end = text.index(f"<!-- end of {module_name} -->")
    rows = [line for line in text[start:end].splitlines() if line.startswith("| ") and not line.startswith("| purpose")]
    return [name for row in rows for name in re.findall(r"`(\w+)`", row.split(" | ")[1])]


@pytest.mark.parametrize("module", [ledinfo.api, ledinfo.api.testing], ids=lambda m: m.__name__)
def test_docs_plugins_md_lists_exactly_the_public_names(module):
    listed = _listed(module.__name__)
    assert len(listed) == len(set(listed)), f"listed twice: {sorted({n for n in listed if listed.count(n) > 1})}"
    assert set(listed) - set(module.__all__) == set(), "docs/plugins.md lists names the API does not have"
    assert set(module.__all__) - set(listed) == set(), "names of __all__ that docs/plugins.md does not list"


def test_every_name_in_all_exists():
    for module in PUBLIC.values():
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert not missing, f"{module.__name__}.__all__ names what it does not have: {missing}"
        assert len(module.__all__) == len(set(module.__all__)), module.__name__


def test_the_api_version_is_stated_in_the_reference_and_the_guide():
    version = ledinfo.api.API_VERSION
    assert re.fullmatch(r"\d+\.\d+", version), "API_VERSION is MAJOR.MINOR"
    assert f"API version {version}" in ledinfo.api.__doc__
    assert f"**API version {version}**" in PLUGINS_MD.read_text(encoding="utf-8")
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), "CHANGELOG.md says what changed"


def _docs_script():
    loader = importlib.machinery.SourceFileLoader("ledinfo_docs_script", str(ROOT / "scripts" / "docs"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def test_the_reference_is_written_without_a_warning(tmp_path):
    """``make docs`` (scripts/docs): every public module's page, every public name on it, the version in it."""
    warnings = _docs_script().write_reference(tmp_path)
    assert warnings == []
    for name, module in PUBLIC.items():
        page = (tmp_path / (name.replace(".", "/") + ".html")).read_text(encoding="utf-8")
        missing = [member for member in module.__all__ if f'id="{member}"' not in page]
        assert not missing, f"{name}'s page lacks {missing}"
        assert f"plugin API {ledinfo.api.API_VERSION}" in page
    hooks = (tmp_path / "ledinfo" / "hookspecs.html").read_text(encoding="utf-8")
    assert 'id="ledinfo_register_sections"' in hooks and "Called once when plugins load" in hooks


def _public_name_problems(module: str, names: list[str], where: str) -> list[str]:
    if module == "ledinfo" or not module.startswith("ledinfo."):
        return [] if module != "ledinfo" else [f"{where}: imports from ledinfo itself"]
    if module not in PUBLIC:
        return [f"{where}: {module} is not public ({', '.join(PUBLIC)})"]
    return [f"{where}: {module}.{name} is not in its __all__" for name in names
            if name not in PUBLIC[module].__all__ and name not in ("domain", "testing")]


def test_the_scaffold_uses_only_public_names(tmp_path):
    problems = []
    for kind in KINDS:
        root = scaffold(f"probe-{kind}", kind, tmp_path)
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                where = f"{kind}: {path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.ImportFrom) and node.module:
                    problems += _public_name_problems(node.module, [a.name for a in node.names], where)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        problems += _public_name_problems(alias.name, [], where)
    assert not problems, "\n".join(problems)


def test_docs_plugins_md_uses_only_public_names():
    text = PLUGINS_MD.read_text(encoding="utf-8")
    problems = []
    for module, wrapped, names in re.findall(r"^\s*from (ledinfo[\w.]*) import (?:\(([^)]*)\)|([\w, ]+))", text, flags=re.M):
        problems += _public_name_problems(module, re.findall(r"\w+", wrapped or names), "an import")
    for dotted in re.findall(r"(?<!-m )`?(ledinfo\.api(?:\.\w+)+)", text):
        module, _, name = dotted.rpartition(".")
        if dotted in PUBLIC or name.startswith("__"):
            continue
        problems += _public_name_problems(module, [name], f"`{dotted}`")
    internal = sorted(set(re.findall(r"\bledinfo\.(?!api\b)[a-z_]+\.\w+", text)))
    problems += [f"`{name}` is internal" for name in internal]
    assert not problems, "\n".join(problems)
