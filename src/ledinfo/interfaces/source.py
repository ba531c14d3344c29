"""The source interface, and reading a config's source into a validated extract."""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass
from pathlib import Path

from ledinfo.errors import ConfigError
from ledinfo.extract import Extract, RawExtract, validate_extract
from ledinfo.extract.metadata import KEY, stated_extraction
from ledinfo.extract.point_in_time import events_after_extraction
from ledinfo.model.period import Period

log = logging.getLogger("ledinfo.extract")


@dataclass(frozen=True)
class SourceContext:
    """What :meth:`Source.read` is given besides its options."""

    base_dir: Path  # relative paths in the options are relative to this (the config's folder)
    period: Period  # the report period; a source may read less history than the whole


class Source:
    """Base class for data sources. Subclass it and register an instance.

    Required attributes: ``name`` (what ``[source] type`` selects),
    ``description`` (one line), and ``read(options, context)`` returning a
    :class:`~ledinfo.extract.RawExtract`. ``options`` maps each option the
    source accepts to a one-line help text; unknown options are refused.
    """

    name: str = ""
    description: str = ""
    options: dict[str, str] = {}

    def read(self, options: dict, context: SourceContext) -> RawExtract:  # pragma: no cover - abstract
        """The extract's tables as the source holds them (``RawTable(name, frame, origin, first_row)``), from
        ``options`` (the config's ``[source]`` table less ``type``; relative paths are relative to
        ``context.base_dir``). ledinfo validates and maps them; raise :class:`SourceError` when they cannot be read."""
        raise NotImplementedError

    def fingerprint(self, options: dict, context: SourceContext) -> dict[str, str] | None:
        """The inputs' fingerprints without reading them as tables (e.g. each file's SHA-256), so an
        unchanged rerun can reuse the last build (:mod:`ledinfo.pipeline.reuse`); None: cannot tell."""
        return None

    def check_options(self, options: dict) -> None:
        """Refuse options the source does not know, with a suggestion."""
        unknown = [key for key in options if key not in self.options]
        if unknown:
            hints = []
            for key in unknown:
                close = difflib.get_close_matches(key, list(self.options), n=1)
                hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            allowed = ", ".join(self.options) or "none"
            raise ConfigError(f"source {self.name!r} has no option {', '.join(hints)}; its options: {allowed}")


def load_extract(source_config: dict, registry, base_dir: Path, period: Period, mappings: dict | None = None) -> Extract:
    """Read the configured source, map it (``[mapping]``) and validate what it returns."""
    options = dict(source_config)
    source = registry.source(options.pop("type", ""))
    options.pop(KEY, None)  # extracted_on: every source's, not the source plugin's to know
    source.check_options(options)
    raw = source.read(options, SourceContext(base_dir=base_dir, period=period))
    raw.extracted_on = stated_extraction(source_config, raw.extracted_on)
    extract = validate_extract(raw, mappings)
    late = events_after_extraction(extract)
    if late:  # the stated day still ends the data: said, so a mistyped day is found
        log.warning("%s says it was taken on %s, but %s hold events dated after that day; its data end the "
                    "day before it", extract.description, extract.extracted_on.isoformat(), ", ".join(late))
    return extract
