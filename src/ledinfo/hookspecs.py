"""The hooks a ledinfo plugin can implement.

These docstrings are the reference documentation of the hooks (see also
``docs/plugins.md``, which a test keeps in step with this module).

Every ``ledinfo_register_*`` hook receives a ``register`` callback. Call it once
per thing the plugin provides; the registry checks each registration at once
(name, type, required attributes, duplicates) and remembers which plugin gave
what, so a mistake is reported with the plugin's name. Implementations may
accept fewer arguments than the spec lists, so specs can grow without breaking
plugins. Built-in plugins in ``ledinfo.plugins`` use these hooks exactly like
external ones.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("ledinfo")


@hookspec
def ledinfo_register_sources(register) -> None:
    """Register data sources.

    Called once when plugins load, before any command runs.

    :param register: call ``register(source)`` with an instance of
        :class:`ledinfo.api.Source`. Its ``name`` is what a config's
        ``[source] type = "..."`` selects; ``read(options, context)`` returns a
        :class:`ledinfo.api.RawExtract` of the extract format's tables, which
        ledinfo validates.

    Example::

        @hookimpl
        def ledinfo_register_sources(register):
            register(WarehouseSource())
    """


@hookspec
def ledinfo_register_sections(register) -> None:
    """Register report sections.

    Called once when plugins load. Sections are computed once per build on
    the whole extract; the audience filter then decides what each pack shows.

    :param register: call ``register(section)`` with an instance of
        :class:`ledinfo.api.Section`: a ``name`` (the id used in a pack's
        ``sections``), an English ``title`` and ``description`` (translated
        through the catalogue), the ``requires`` tables, and
        ``compute(context) -> SectionResult``.

    Example::

        @hookimpl
        def ledinfo_register_sections(register):
            register(AftercareSection())
    """


@hookspec
def ledinfo_register_deliveries(register) -> None:
    """Register ways of delivering built packs (email, a folder, an archive).

    Called once when plugins load.

    :param register: call ``register(delivery)`` with an instance of
        :class:`ledinfo.api.Delivery`. Its ``name`` is what a config's
        ``[delivery] type = "..."`` selects.

    Example::

        @hookimpl
        def ledinfo_register_deliveries(register):
            register(ArchiveDelivery())
    """


@hookspec
def ledinfo_register_commands(cli) -> None:
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
