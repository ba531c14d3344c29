"""The plugin manager: loads built-in and installed plugins, once.

Built-in plugins are the modules in :data:`BUILTIN_PLUGINS`; external plugins
are found through the ``ledinfo`` entry-point group. Both are registered with
the same call, under a short name (a built-in's module name, an external's entry
point name), and every hook is called through pluggy's ``manager.hook``.

Policy for broken plugins (documented in docs/plugins.md): a plugin that fails
to import, implements an unknown hook, or registers something invalid is
skipped with one warning naming the plugin and the cause; with ``--strict``
(or ``LEDINFO_STRICT_PLUGINS=1``) the command stops instead.

Environment:

- ``LEDINFO_LOAD_PLUGINS``: unset loads every installed plugin; a
  comma-separated list loads only those; empty loads none (tests use this).
- ``LEDINFO_TRACE_PLUGINS=1``: log every hook call to stderr.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import pluggy

from ledinfo import __version__, hookspecs
from ledinfo.errors import PluginError
from ledinfo.plugin_host.names import ENTRY_POINT_GROUP, ENV_LOAD
from ledinfo.plugin_host.registry import KINDS, SETTINGS_HOOK, PluginProblem, Registry

ENV_TRACE = "LEDINFO_TRACE_PLUGINS"
ENV_STRICT = "LEDINFO_STRICT_PLUGINS"

# The order here is the default order of sections in a pack.
BUILTIN_PLUGINS = (
    "ledinfo.plugins.source_folder",
    "ledinfo.plugins.source_demo",
    "ledinfo.plugins.source_sql",
    "ledinfo.plugins.team_overview",
    "ledinfo.plugins.goals",
    "ledinfo.plugins.local_standards",
    "ledinfo.plugins.notifications",
    "ledinfo.plugins.measures_mix",
    "ledinfo.plugins.ladder_moves",
    "ledinfo.plugins.placement_outcomes",
    "ledinfo.plugins.renotification",
    "ledinfo.plugins.compliance",
    "ledinfo.plugins.six_week_followup",
    "ledinfo.plugins.caseload",
    "ledinfo.plugins.supervision",
    "ledinfo.plugins.turnover",
    "ledinfo.plugins.budget",
    "ledinfo.plugins.volume_price",
    "ledinfo.plugins.spending",
    "ledinfo.plugins.delivery_email",
    "ledinfo.plugins.delivery_folder",
)

log = logging.getLogger("ledinfo.plugins")


@dataclass
class PluginInfo:
    name: str
    version: str
    builtin: bool
    distribution: str | None = None
    hooks: list[str] = field(default_factory=list)
    status: str = "loaded"  # loaded | failed | disabled


@dataclass
class Plugins:
    """The loaded plugins: the manager, the registry and what went wrong."""

    manager: pluggy.PluginManager
    registry: Registry
    info: dict[str, PluginInfo]
    problems: list[PluginProblem]


def _wanted_externals() -> set[str] | None:
    """None = all installed plugins; otherwise the names to load."""
    value = os.environ.get(ENV_LOAD)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _trace(manager: pluggy.PluginManager) -> None:
    """Print every hook call and the plugins it reaches (``LEDINFO_TRACE_PLUGINS=1``)."""

    def before(hook_name, hook_impls, kwargs) -> None:
        print(f"[ledinfo trace] {hook_name} -> {[impl.plugin_name for impl in hook_impls]}", file=sys.stderr)

    def after(outcome, hook_name, hook_impls, kwargs) -> None:  # pluggy requires both; nothing to add after
        return None

    manager.add_hookcall_monitoring(before, after)


def builtin_name(module_name: str) -> str:
    """A built-in plugin's name: its module's (``ledinfo.plugins.goals`` is ``goals``)."""
    return module_name.rsplit(".", 1)[-1]


def _register_builtin(manager, info, module_name: str) -> None:
    name = builtin_name(module_name)
    manager.register(importlib.import_module(module_name), name=name)
    info[name] = PluginInfo(name, __version__, builtin=True)


def _register_externals(manager, info, problems) -> None:
    wanted = _wanted_externals()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        dist = entry.dist.name if entry.dist else None
        version = entry.dist.version if entry.dist else "?"
        if wanted is not None and entry.name not in wanted:
            info[entry.name] = PluginInfo(entry.name, version, False, dist, status="disabled")
            continue
        if manager.has_plugin(entry.name) or manager.is_blocked(entry.name):
            problems.append(PluginProblem(entry.name, "two installed plugins use this name; the second is skipped"))
            continue
        try:
            plugin = entry.load()
            manager.register(plugin, name=entry.name)
        except Exception as error:  # a plugin's import can fail in any way; report, do not crash
            problems.append(PluginProblem(entry.name, f"failed to import ({entry.value}): "
                                                      f"{type(error).__name__}: {error}"))
            info[entry.name] = PluginInfo(entry.name, version, False, dist, status="failed")
            continue
        info[entry.name] = PluginInfo(entry.name, version, False, dist)


def _check_hooks(manager, info, problems) -> None:
    """Catch misspelled hook names (pluggy's check_pending), per plugin."""
    known = {name for name in dir(hookspecs) if name.startswith("ledinfo_")}
    for name, plugin in list(manager.list_name_plugin()):
        if plugin is None:
            continue
        unknown = [attr for attr in dir(plugin) if attr.startswith("ledinfo_") and attr not in known
                   and callable(getattr(plugin, attr))]
        if unknown:
            problems.append(PluginProblem(name, f"implements unknown hook(s) {', '.join(unknown)} "
                                                f"(known hooks: {', '.join(sorted(known))})"))
            manager.unregister(name=name)
            info[name].status = "failed"
    manager.check_pending()


def call_per_plugin(manager: pluggy.PluginManager, hook: str, **kwargs_for) -> list[PluginProblem]:
    """Call ``hook`` through pluggy once per implementing plugin; a failure is that plugin's problem.

    ``kwargs_for[name](plugin)`` gives each argument for that plugin, so a ``register``
    callback knows whose registrations it receives. The call goes through a pluggy
    subset caller, so hook-call monitoring (tracing) sees it.
    """
    problems = []
    everyone = [plugin for _, plugin in manager.list_name_plugin() if plugin is not None]
    for impl in getattr(manager.hook, hook).get_hookimpls():  # in registration order: built-ins first
        others = [plugin for plugin in everyone if plugin is not impl.plugin]
        caller = manager.subset_hook_caller(hook, remove_plugins=others)
        try:
            caller(**{arg: make(impl.plugin_name) for arg, make in kwargs_for.items()})
        except Exception as error:  # a plugin's bug is reported with its name, never a crash
            problems.append(PluginProblem(impl.plugin_name, f"{hook} failed: {type(error).__name__}: {error}"))
    return problems


def _fill_registry(manager, info, problems) -> Registry:
    registry = Registry()
    for kind in KINDS.values():
        registry.problems += call_per_plugin(
            manager, kind.hook, register=lambda plugin, kind=kind: registry.register_callback(kind.name, plugin))
    registry.problems += call_per_plugin(manager, SETTINGS_HOOK, register=registry.settings_callback)
    for name, plugin_info in info.items():
        if plugin_info.status == "loaded" and manager.has_plugin(name):
            plugin_info.hooks = sorted(impl_name for impl_name in dir(manager.get_plugin(name))
                                       if impl_name.startswith("ledinfo_"))
    problems.extend(registry.problems)
    registry.problems = problems
    return registry


def registry_of(*plugins) -> Registry:
    """A registry holding only what ``plugins`` (modules or objects with hooks) register.

    For tests: no built-in and no installed plugin takes part. Problems raise at once.
    """
    manager = pluggy.PluginManager("ledinfo")
    manager.add_hookspecs(hookspecs)
    info: dict[str, PluginInfo] = {}
    for index, plugin in enumerate(plugins):
        module_name = getattr(plugin, "__name__", None)
        name = builtin_name(module_name) if module_name else f"{type(plugin).__name__}-{index}"
        manager.register(plugin, name=name)
        info[name] = PluginInfo(name, "test", builtin=False)
    problems: list[PluginProblem] = []
    registry = _fill_registry(manager, info, problems)
    if problems:
        raise PluginError("; ".join(str(p) for p in problems))
    return registry


def load_plugins(strict: bool = False) -> Plugins:
    """Load built-ins and installed plugins into a fresh manager and registry."""
    strict = strict or os.environ.get(ENV_STRICT, "") not in ("", "0")
    manager = pluggy.PluginManager("ledinfo")
    manager.add_hookspecs(hookspecs)
    if os.environ.get(ENV_TRACE):
        _trace(manager)
    info: dict[str, PluginInfo] = {}
    problems: list[PluginProblem] = []
    for module_name in BUILTIN_PLUGINS:
        _register_builtin(manager, info, module_name)
    _register_externals(manager, info, problems)
    _check_hooks(manager, info, problems)
    registry = _fill_registry(manager, info, problems)
    if problems and strict:
        lines = "\n".join(f"  {p}" for p in problems)
        raise PluginError(f"{len(problems)} plugin problem(s) (--strict):\n{lines}")
    for problem in problems:
        log.warning("%s; skipped (use --strict to stop instead)", problem)
    return Plugins(manager, registry, info, problems)
