"""When an extract was taken: the data's end (domain.md, "The data's range").

An extract's last event is not its end: a month often ends on a weekend or a holiday with
nothing recorded, and the extract taken on the 1st then "ends" on the 29th. The source can
say when it was taken:

- ``extracted_on`` under ``[source]`` in the config (any source; a TOML date or date and time);
- a folder extract's own ``extract.toml`` beside its tables, which the job writing the extract
  writes with it (``extracted_on = 2026-11-01``).

Either says the extract holds everything before that day, so its data end the day before.
Neither given: the data end with the last event (:func:`ledinfo.extract.point_in_time.data_span`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from ledinfo.errors import ConfigError, SourceError
from ledinfo.outside.files import METADATA as METADATA_FILE
from ledinfo.outside.files import FileRefused, read_confined

METADATA = "extract.toml"  # a folder extract's statement of when it was taken
KEY = "extracted_on"
_LOCAL = ZoneInfo("Europe/Copenhagen")


def extraction_day(value, where: str, today: dt.date | None = None) -> dt.date:
    """The day ``value`` (a TOML date, or a date and time, converted to Danish time) names; a clear error
    naming ``where`` for anything else, or for a day after today (a mistyped year)."""
    if isinstance(value, dt.datetime):
        day = (value.astimezone(_LOCAL) if value.tzinfo is not None else value).date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        raise ConfigError(f"{where}: {value!r} is text; write the date without quotes: {KEY} = 2026-11-01")
    else:
        raise ConfigError(f"{where}: {value!r} is no date; write it as {KEY} = 2026-11-01 (or 2026-11-01T06:00:00)")
    today = today or dt.date.today()
    if day > today:
        raise ConfigError(f"{where}: {day.isoformat()} lies after today ({today.isoformat()}); an extract is "
                          "taken on or before the day it is read")
    return day


def read_metadata(folder: Path) -> tuple[dt.date | None, str | None]:
    """The extraction day a folder's ``extract.toml`` states and the file's SHA-256; (None, None) without one."""
    path = folder / METADATA
    if not path.exists() and not path.is_symlink():
        return None, None
    try:  # read as every outside file is: inside its folder, a regular file, small, no control characters
        data = read_confined(path, METADATA_FILE, folder)
    except FileRefused as refused:
        raise SourceError(str(refused)) from None
    try:
        values = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"{path} is not TOML ({error}); it holds one line: {KEY} = 2026-11-01") from None
    unknown = [key for key in values if key != KEY]
    if unknown:
        close = difflib.get_close_matches(unknown[0], [KEY], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SourceError(f"{path}: unknown key {unknown[0]!r}{hint}; the file holds {KEY} only")
    if KEY not in values:
        raise SourceError(f"{path} holds no {KEY}; write {KEY} = 2026-11-01 (the day the extract was taken)")
    try:
        day = extraction_day(values[KEY], f"{path}: {KEY}")
    except ConfigError as error:
        raise SourceError(str(error)) from None
    return day, hashlib.sha256(data).hexdigest()


def stated_extraction(source_config: dict, read: dt.date | None) -> dt.date | None:
    """The extraction day: ``[source] extracted_on`` or the one the source read (its folder's ``extract.toml``);
    both given, they must agree (which one is right is the user's to say, not ours to guess)."""
    if KEY not in source_config:
        return read
    configured = extraction_day(source_config[KEY], f"source.{KEY}")
    if read is not None and read != configured:
        raise ConfigError(f"source.{KEY} says {configured.isoformat()}, the extract's {METADATA} says "
                          f"{read.isoformat()}: remove one, or make them agree")
    return configured
