"""The source interface, and reading a config's source into a validated extract."""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
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
    :class:`~ledinfo.extract.RawExtract`. ``options`` maps each option the
    source accepts to a one-line help text; unknown options are refused.
    """

    name: str = ""
    description: str = ""
    options: dict[str, str] = {}

    def read(self, options: dict, context: SourceContext) -> RawExtract:  # pragma: no cover - abstract
        raise NotImplementedError

    def fingerprint(self, options: dict, context: SourceContext) -> Fingerprint | None:
        """Optional, the cheap fingerprint: the inputs' fingerprints without reading them as tables (each file's
        SHA-256, say), so an unchanged rerun reuses the last build before anything is read
        (:mod:`ledinfo.pipeline.reuse`). Return a :class:`Fingerprint` (a plain ``{name: digest}`` dict is taken
        as its ``inputs``); None: cannot tell this time.

        A source without it is fingerprinted by loading: the build reads it (the load stage) and makes the key
        from the fingerprints ``read`` recorded in ``RawExtract.fingerprints``; an unchanged rerun then skips
        everything after loading. A source that records no fingerprints is built every time.
        """
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
