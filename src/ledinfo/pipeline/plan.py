"""Stage 1, plan: the config checked against the installed plugins, before any data is read.

Which sections each pack holds, its template, each plugin's settings and the
delivery's options are all decided here, and every problem is reported at once
with its key path, as the config file's own check does.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ledinfo.config.file import plugin_problems
from ledinfo.errors import ConfigError
from ledinfo.interfaces.section import Section
from ledinfo.model.config import Config, PackSpec, pack_teams
from ledinfo.model.settings import Settings
from ledinfo.plugin_host.registry import Registry
from ledinfo.texts.templates import Template, load_template


@dataclass(frozen=True)
class Plan:
    """What a build will do: the config, the plugins, and what each pack holds."""

    config: Config
    registry: Registry
    sections_of: dict[str, list[str]]  # pack id -> section names, in the pack's order
    templates: dict[str, Template]  # pack id -> its template
    settings: dict[type[Settings], Settings] = field(default_factory=dict)  # each plugin's checked settings

    @property
    def needed(self) -> set[str]:
        """Every section some pack shows: each is computed once."""
        return {name for names in self.sections_of.values() for name in names}


def pack_sections(spec: PackSpec, template: Template, sections: list[Section]) -> tuple[list[str], list[str]]:
    """The sections of one pack, and the problems with the names the config gives.

    The pack's own ``sections`` win. Otherwise the sections its template names (that are
    installed), in that order, then — unless the template says ``others = "none"`` — every
    other installed section whose ``audiences`` include the pack's, in the order plugins
    registered them; less the pack's ``leave_out``.
    """
    available = [s.name for s in sections]
    problems = []
    for key in ("sections", "leave_out"):
        for name in getattr(spec, key):
            if name not in available:
                close = difflib.get_close_matches(name, available, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(f"pack {spec.id!r}: {key} names section {name!r}, which no plugin provides{hint}")
    if spec.sections:
        return [n for n in spec.sections if n in available], problems
    named = [n for n in template.sections if n in available]
    others = [s.name for s in sections if spec.audience in s.audiences and s.name not in named] \
        if template.others == "after" else []
    return [n for n in named + others if n not in spec.leave_out], problems


def plan(config: Config, registry: Registry) -> Plan:
    """Check the config against the plugins and decide each pack's sections; every problem at once."""
    templates = {spec.id: load_template(spec.template, spec.audience, config.base_dir) for spec in config.packs}
    sections = registry.sections()
    sections_of, problems = {}, []
    for spec in config.packs:
        sections_of[spec.id], found = pack_sections(spec, templates[spec.id], sections)
        problems += found
    settings, found = plugin_problems(config.delivery, config.plugins, registry, {"source": config.source},
                                      pack_teams(config.packs))
    problems += found
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"The configuration{f' {config.path}' if config.path else ''} does not fit the installed "
                          f"plugins ({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n{lines}\n"
                          "See `ledinfo plugins` and `ledinfo sections` for what is installed.")
    return Plan(config, registry, sections_of, templates, settings)
