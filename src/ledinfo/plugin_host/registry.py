"""The registry: checks what plugins register and remembers who gave what.

Each ``ledinfo_register_*`` hook is called once per plugin with a ``register``
callback bound to that plugin, so a bad registration is reported with the
plugin's name and the exact cause, and ``ledinfo plugins`` can say which
plugin provides which source, section or delivery.
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass, field

from ledinfo.errors import ConfigError
from ledinfo.extract.schema import SCHEMA
from ledinfo.interfaces.delivery import Delivery
from ledinfo.interfaces.section import Section
from ledinfo.interfaces.source import Source
from ledinfo.interfaces.targets import Targets
from ledinfo.model.audiences import AUDIENCES
from ledinfo.model.settings import Settings, check_settings

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


@dataclass(frozen=True)
class Kind:
    """A kind of thing plugins register, and what one must look like."""

    name: str  # "source"
    hook: str  # "ledinfo_register_sources"
    base: type
    text_attributes: tuple[str, ...]
    methods: tuple[str, ...]


KINDS = {
    "source": Kind("source", "ledinfo_register_sources", Source, ("name", "description"), ("read",)),
    "section": Kind("section", "ledinfo_register_sections", Section, ("name", "title", "description"), ("compute",)),
    "delivery": Kind("delivery", "ledinfo_register_deliveries", Delivery, ("name", "description"), ("deliver",)),
    "targets": Kind("targets", "ledinfo_register_targets", Targets, ("name", "description"), ("targets",)),
}


SETTINGS_HOOK = "ledinfo_register_settings"


@dataclass(frozen=True)
class Registration:
    kind: str
    name: str
    obj: object
    plugin: str


@dataclass(frozen=True)
class PluginProblem:
    plugin: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r}: {self.message}"


class RegistrationError(Exception):
    """Raised inside a register callback; becomes a :class:`PluginProblem`."""


@dataclass
class Registry:
    entries: dict[str, dict[str, Registration]] = field(default_factory=lambda: {k: {} for k in KINDS})
    problems: list[PluginProblem] = field(default_factory=list)
    settings_schemas: dict[str, type[Settings]] = field(default_factory=dict)  # plugin name -> its schema

    # Registration ----------------------------------------------------------
    def register_callback(self, kind: str, plugin: str):
        """The ``register`` function handed to ``plugin``'s hook for ``kind``."""

        def register(obj) -> None:
            try:
                self._add(KINDS[kind], obj, plugin)
            except RegistrationError as error:
                self.problems.append(PluginProblem(plugin, str(error)))

        register.__doc__ = f"Register a {kind} provided by plugin {plugin!r}."
        return register

    def settings_callback(self, plugin: str):
        """The ``register`` function handed to ``plugin``'s ``ledinfo_register_settings``."""

        def register(schema: type[Settings]) -> None:
            if not (inspect.isclass(schema) and issubclass(schema, Settings)):
                self.problems.append(PluginProblem(plugin, f"registered {schema!r} as its settings; register a "
                                                           "subclass of ledinfo.api.Settings"))
            elif plugin in self.settings_schemas:
                self.problems.append(PluginProblem(plugin, "registered settings twice; a plugin has one table"))
            else:
                self.settings_schemas[plugin] = schema

        return register

    def _add(self, kind: Kind, obj, plugin: str) -> None:
        if inspect.isclass(obj):
            raise RegistrationError(
                f"registered the class {obj.__name__} as a {kind.name}; register an instance: "
                f"register({obj.__name__}())")
        if not isinstance(obj, kind.base):
            raise RegistrationError(
                f"registered {obj!r} as a {kind.name}, but it is not a ledinfo.api.{kind.base.__name__}")
        for attribute in kind.text_attributes:
            value = getattr(obj, attribute, None)
            if not isinstance(value, str) or not value.strip():
                raise RegistrationError(
                    f"{kind.name} {type(obj).__name__} has no {attribute} (a non-empty text is required)")
        if not _NAME.match(obj.name):
            raise RegistrationError(
                f"{kind.name} name {obj.name!r} must be lower-case letters, digits and _, starting with a letter")
        for method in kind.methods:
            own = getattr(type(obj), method, None)
            if own is None or own is getattr(kind.base, method):
                raise RegistrationError(f"{kind.name} {obj.name!r} does not implement {method}()")
        if kind.name == "section":
            self._check_section(obj)
        existing = self.entries[kind.name].get(obj.name)
        if existing is not None:
            raise RegistrationError(
                f"registers {kind.name} {obj.name!r}, which plugin {existing.plugin!r} already provides")
        self.entries[kind.name][obj.name] = Registration(kind.name, obj.name, obj, plugin)

    @staticmethod
    def _check_section(section: Section) -> None:
        requires = section.requires
        if not isinstance(requires, (tuple, list)) or not all(isinstance(t, str) for t in requires):
            raise RegistrationError(f"section {section.name!r}: requires must be a tuple of table names")
        unknown = [t for t in requires if t not in SCHEMA]
        if unknown:
            raise RegistrationError(
                f"section {section.name!r} requires unknown table(s) {', '.join(unknown)} "
                f"(tables: {', '.join(SCHEMA)})")
        wrong = [a for a in section.audiences if a not in AUDIENCES]
        if wrong:
            raise RegistrationError(f"section {section.name!r}: unknown audience(s) {', '.join(wrong)}")

    # Look-up ---------------------------------------------------------------
    def _get(self, kind: str, name: str):
        entries = self.entries[kind]
        if name in entries:
            return entries[name].obj
        close = difflib.get_close_matches(name, list(entries), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        available = ", ".join(entries) or "none"
        raise ConfigError(f"no {kind} called {name!r} is installed.{hint} Available: {available}.")

    def source(self, name: str) -> Source:
        return self._get("source", name)

    def section(self, name: str) -> Section:
        return self._get("section", name)

    def delivery(self, name: str) -> Delivery:
        return self._get("delivery", name)

    def sections(self) -> list[Section]:
        return [r.obj for r in self.entries["section"].values()]

    def provided_by(self, plugin: str) -> dict[str, list[str]]:
        """What ``plugin`` registered: {"section": ["caseload"], ...}."""
        found: dict[str, list[str]] = {}
        for kind, entries in self.entries.items():
            names = [r.name for r in entries.values() if r.plugin == plugin]
            if names:
                found[kind] = names
        return found

    def check_settings(self, tables: dict) -> tuple[dict[type[Settings], Settings], list[str]]:
        """Each plugin's settings from the config's ``[plugins.<name>]`` tables, and every problem found.

        A plugin without a table gets its schema's defaults (unless a field is required).
        """
        settings: dict[type[Settings], Settings] = {}
        problems = []
        for name, table in tables.items():
            if name not in self.settings_schemas:
                close = difflib.get_close_matches(name, list(self.settings_schemas), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                taking = ", ".join(sorted(self.settings_schemas)) or "none"
                problems.append(f"plugins.{name}: no installed plugin called {name!r} takes settings{hint}; "
                                f"plugins with settings: {taking}")
            elif not isinstance(table, dict):
                problems.append(f"plugins.{name}: expected a table, got {table!r}")
        for plugin, schema in self.settings_schemas.items():
            table = tables.get(plugin, {})
            value, found = check_settings(schema, table if isinstance(table, dict) else {}, f"plugins.{plugin}")
            problems += found
            if value is not None:
                settings[schema] = value
        return settings, problems

    def plugin_of(self, kind: str, name: str) -> str:
        return self.entries[kind][name].plugin

    def own_settings(self, kind: str, name: str, settings: dict[type[Settings], Settings]) -> Settings | None:
        """The checked settings of the plugin that registered ``name`` (its schema's defaults without a table;
        None: the plugin registers no settings)."""
        schema = self.settings_schemas.get(self.plugin_of(kind, name))
        if schema is None:
            return None
        found = settings.get(schema)
        return found if found is not None else schema()

    def section_settings(self, settings: dict[type[Settings], Settings]) -> dict[str, Settings]:
        """Each section's own plugin's checked settings, by section name (what ``context.settings()`` gives it)."""
        found = {name: self.own_settings("section", name, settings) for name in self.entries["section"]}
        return {name: value for name, value in found.items() if value is not None}

    def section_plugins(self) -> dict[str, str]:
        """The plugin that registered each section, by section name."""
        return {name: entry.plugin for name, entry in self.entries["section"].items()}

    def schema_plugins(self) -> dict[type[Settings], str]:
        """The plugin that registered each settings schema (whose ``[plugins.<name>]`` table it checks)."""
        return {schema: plugin for plugin, schema in self.settings_schemas.items()}

    def target_providers(self, settings: dict[type[Settings], Settings]) -> list[tuple[Targets, Settings | None]]:
        """Every registered provider of targets with its plugin's checked settings."""
        return [(entry.obj, self.own_settings("targets", name, settings))
                for name, entry in self.entries["targets"].items()]
