"""The source interface, and reading a config's source into a validated extract."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ledinfo.errors import ConfigError
from ledinfo.extract import Extract, RawExtract, validate_extract
from ledinfo.extract.metadata import KEY, stated_extraction
from ledinfo.extract.point_in_time import events_after_extraction
from ledinfo.model.period import Period
from ledinfo.model.settings import Settings, check_settings

log = logging.getLogger("ledinfo.extract")


@dataclass(frozen=True)
class SourceContext:
    """What :meth:`Source.read` is given besides its options."""

    base_dir: Path  # relative paths in the options are relative to this (the config's folder)
    period: Period  # the report period; a source may read less history than the whole


@dataclass(frozen=True)
class Fingerprint:
    """What a source's inputs are, told without reading them as tables (:meth:`Source.fingerprint`).

    ``inputs``: each input's name and digest, the same a ``read`` records in ``RawExtract.fingerprints`` (a
    file's SHA-256, a query's and its result's hash): the build key holds them. ``files``: for inputs that are
    a file's SHA-256, the file (input name -> path); when every input has its file, an unchanged rerun is told
    from the files alone, before the plugins load. ``folders``: folders whose listing decides what ``read``
    reads (a file added there is a change).
    """

    inputs: dict[str, str]
    files: dict[str, Path] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()


class Source:
    """Base class for data sources. Subclass it and register an instance.

    Required attributes: ``name`` (what ``[source] type`` selects),
    ``description`` (one line), and ``read(options, context)`` returning a
    :class:`~ledinfo.extract.RawExtract`. ``Options`` is the pydantic model of the
    ``[source]`` keys besides ``type`` (a :class:`~ledinfo.api.Settings` subclass: typed
    fields, each with a ``description``); ledinfo checks the config's keys against it
    before any data is read, every problem with its key path (``source.path``), and
    ``read`` receives the checked model. The default takes no options.
    """

    name: str = ""
    description: str = ""
    Options: type[Settings] = Settings

    def read(self, options: Settings, context: SourceContext) -> RawExtract:  # pragma: no cover - abstract
        """The extract's tables as the source holds them (``RawTable(name, frame, origin, first_row)``), from
        ``options`` (the config's ``[source]`` table less ``type``, checked: an instance of the source's
        ``Options`` model; relative paths are relative to ``context.base_dir``). ledinfo validates and maps
        them; raise :class:`SourceError` when they cannot be read."""
        raise NotImplementedError

    def fingerprint(self, options: Settings, context: SourceContext) -> Fingerprint | None:
        """Optional, the cheap fingerprint: the inputs' fingerprints without reading them as tables (each file's
        SHA-256, say), so an unchanged rerun reuses the last build before anything is read
        (:mod:`ledinfo.pipeline.reuse`). Return a :class:`Fingerprint` (a plain ``{name: digest}`` dict is taken
        as its ``inputs``); None: cannot tell this time.

        A source without it is fingerprinted by loading: the build reads it (the load stage) and makes the key
        from the fingerprints ``read`` recorded in ``RawExtract.fingerprints``; an unchanged rerun then skips
        everything after loading. A source that records no fingerprints is built every time.
        """
        return None


# Keys of [source] that are every source's, not the source plugin's to know.
CORE_SOURCE_KEYS = ("type", KEY)


def source_problems(source_config: dict, registry, prefix: str = "source") -> tuple[Settings | None, list[str]]:
    """The source's checked options from a ``[source]`` table, and every problem, each with its key path
    (``source.path``, ``municipalities[2].source.path``): what the config check reports before any data is read."""
    kind = source_config.get("type")
    if not isinstance(kind, str):
        return None, []  # a missing type is the config file's own problem
    try:
        source = registry.source(kind)
    except ConfigError as error:
        return None, [f"{prefix}.type: {error}"]
    options = {key: value for key, value in source_config.items() if key not in CORE_SOURCE_KEYS}
    return check_settings(source.Options, options, prefix)


def checked_source(source_config: dict, registry) -> tuple[Source, Settings]:
    """The configured source and its checked options; a ConfigError lists every problem with its key path."""
    source = registry.source(source_config.get("type", ""))
    options, problems = source_problems(source_config, registry)
    if problems:
        raise ConfigError(f"the source's options have {len(problems)} problem{'s' if len(problems) != 1 else ''}:\n"
                          + "\n".join(f"  {p}" for p in problems))
    return source, options


def load_extract(source_config: dict, registry, base_dir: Path, period: Period, mappings: dict | None = None) -> Extract:
    """Read the configured source, map it (``[mapping]``) and validate what it returns."""
    source, options = checked_source(source_config, registry)
    raw = source.read(options, SourceContext(base_dir=base_dir, period=period))
    raw.extracted_on = stated_extraction(source_config, raw.extracted_on)
    extract = validate_extract(raw, mappings)
    late = events_after_extraction(extract)
    if late:  # the stated day still ends the data: said, so a mistyped day is found
        log.warning("%s says it was taken on %s, but %s hold events dated after that day; its data end the "
                    "day before it", extract.description, extract.extracted_on.isoformat(), ", ".join(late))
    return extract
