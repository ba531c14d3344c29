"""The hooks a ledinfo plugin can implement.

These docstrings are the reference documentation of the hooks (see also
``docs/plugins.md``, which a test keeps in step with this module).

Every ``ledinfo_register_*`` hook receives a ``register`` callback. Call it once
per thing the plugin provides; the registry checks each registration at once
(name, type, required attributes, duplicates) and remembers which plugin gave
what, so a mistake is reported with the plugin's name. Implementations may
accept fewer arguments than the spec lists, so specs can grow without breaking
plugins. Built-in plugins in ``ledinfo.plugins`` use these hooks exactly like
external ones, and every hook is called through pluggy (``pm.hook``), so
``LEDINFO_TRACE_PLUGINS=1`` shows each call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # the interfaces import the hooks' users; typing only, so no import cycle
    import click

    from ledinfo.interfaces.delivery import Delivery
    from ledinfo.interfaces.section import Section
    from ledinfo.interfaces.source import Source
    from ledinfo.interfaces.targets import Targets
    from ledinfo.model.settings import Settings

hookspec = pluggy.HookspecMarker("ledinfo")


@hookspec
def ledinfo_register_sources(register: Callable[[Source], None]) -> None:
    """Register data sources.

    Called once when plugins load, before any command runs.

    :param register: call ``register(source)`` with an instance of
        :class:`ledinfo.api.Source`. Its ``name`` is what a config's
        ``[source] type = "..."`` selects; its ``Options`` (a
        :class:`ledinfo.api.Settings` model) are the other ``[source]`` keys,
        checked with the config before any data is read; ``read(options,
        context)`` is given them checked and returns a
        :class:`ledinfo.api.RawExtract` of the extract format's tables, which
        ledinfo validates, with each input's fingerprint in ``fingerprints``.
        Optionally, ``fingerprint(options, context)`` returns the same
        fingerprints cheaply, without reading the tables
        (:class:`ledinfo.api.Fingerprint`, with the files they are of): an
        unchanged rerun then reuses the last build before anything is read.
        A source without it is fingerprinted by loading: the build reads it,
        and reuses the last build when what ``read`` recorded is unchanged.

    Example::

        @hookimpl
        def ledinfo_register_sources(register):
            register(WarehouseSource())
    """


@hookspec
def ledinfo_register_sections(register: Callable[[Section], None]) -> None:
    """Register report sections.

    Called once when plugins load. Sections are computed once per build on
    the whole extract; the audience filter then decides what each pack shows.

    :param register: call ``register(section)`` with an instance of
        :class:`ledinfo.api.Section`: a ``name`` (the id used in a pack's
        ``sections``), an English ``title`` and ``description`` (translated
        through the catalogue), the ``requires`` tables, the ``audiences`` whose
        packs it appears in, the ``indicators`` it provides (any goal can follow
        them), and ``compute(context) -> SectionResult``.

    Example::

        @hookimpl
        def ledinfo_register_sections(register):
            register(AftercareSection())
    """


@hookspec
def ledinfo_register_deliveries(register: Callable[[Delivery], None]) -> None:
    """Register ways of delivering built packs (email, a folder, an archive).

    Called once when plugins load.

    :param register: call ``register(delivery)`` with an instance of
        :class:`ledinfo.api.Delivery`. Its ``name`` is what a config's
        ``[delivery] type = "..."`` selects; its ``Options`` (a
        :class:`ledinfo.api.Settings` model) are ``[delivery.<name>]``, checked
        with the config before any data is read and given, checked, to every
        method; ``message(pack, options)`` writes the subject and body.

    Example::

        @hookimpl
        def ledinfo_register_deliveries(register):
            register(ArchiveDelivery())
    """


@hookspec
def ledinfo_register_targets(register: Callable[[Targets], None]) -> None:
    """Register providers of targets: the values indicators should reach (annual goals, local standards).

    Called once when plugins load. In every build, each provider is asked for
    the targets that hold in the report period; every section reads them
    through its context (``context.targets``), and each target whose indicator
    is installed becomes that indicator's yardstick, judged by the documented
    precedence (an annual goal before a local standard, before the law). So a
    section never reads another plugin's settings to find a goal: the goals
    plugin provides its ``[[plugins.goals.goal]]`` tables this way, and any
    plugin may provide more (from a budget system, say).

    :param register: call ``register(provider)`` with an instance of
        :class:`ledinfo.api.Targets`: a ``name``, a one-line ``description``, and
        ``targets(context) -> Iterable[Target]``, given a
        :class:`ledinfo.api.TargetContext` (the period, every installed
        indicator, and the plugin's own checked settings).

    Example::

        class BudgetGoals(Targets):
            name, description = "budget_goals", "The year's goals from the budget system."

            def targets(self, context):
                if context.period.year != 2026:
                    return []
                return [Target("six_week_followup", 0.9, title="Opfølgning inden for 6 uger")]

        @hookimpl
        def ledinfo_register_targets(register):
            register(BudgetGoals())
    """


@hookspec
def ledinfo_register_settings(register: Callable[[type[Settings]], None]) -> None:
    """Register the schema of the plugin's own settings, the config's ``[plugins.<name>]`` table.

    Called once when plugins load. ``<name>`` is the plugin's name (its entry
    point's name; for a built-in, its module's, e.g. ``goals``). The table is
    checked against the schema with the rest of the config, and every problem
    is reported at once with its key path (``plugins.eftervaern.min_age``).
    A section of the plugin receives them checked: ``context.settings()`` (or
    ``context.settings(MySettings)``); a target provider as ``context.settings``;
    a plugin without a table gets the schema's defaults. (A source's and a
    delivery's options are their own ``Options`` model, in ``[source]`` and
    ``[delivery.<name>]``.)

    :param register: call ``register(MySettings)`` with a subclass of
        :class:`ledinfo.api.Settings` (a pydantic model: typed fields with defaults,
        unknown keys refused).

    Example::

        class AftercareSettings(Settings):
            min_age: int = 18

        @hookimpl
        def ledinfo_register_settings(register):
            register(AftercareSettings)
    """


@hookspec
def ledinfo_register_commands(cli: click.Group) -> None:
    """Add commands to the ``ledinfo`` command line.

    Called once, the first time the command line looks up its commands.

    :param cli: the top-level :class:`click.Group`; call ``cli.command()`` or
        ``cli.add_command(...)`` on it.

    Example::

        @hookimpl
        def ledinfo_register_commands(cli):
            @cli.command()
            def hello():
                click.echo("hej")
    """
