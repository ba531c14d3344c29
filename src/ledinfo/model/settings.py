"""A plugin's own settings: the config's ``[plugins.<name>]`` table, checked by the plugin's schema.

A plugin declares its settings as a :class:`Settings` subclass (a pydantic model:
typed fields, defaults, unknown keys refused) and registers it with
``ledinfo_register_settings``. ledinfo checks the table with the rest of the
configuration and reports every problem at once with its key path, as it does
for its own keys.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict, ValidationError

from ledinfo.privacy.cpr import redact


class Settings(BaseModel):
    """Base class of a plugin's settings. Fields need defaults unless the table is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _path(prefix: str, loc: tuple) -> str:
    path = prefix
    for part in loc:
        path += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return path


def _fields_at(schema: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where ``loc`` points (for "did you mean")."""
    model = schema
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        annotation = getattr(field, "annotation", None)
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
        else:
            return []
    return list(model.model_fields)


def check_settings(schema: type[Settings], table: dict, prefix: str) -> tuple[Settings | None, list[str]]:
    """The checked settings, or None and one problem per bad key, each with its key path."""
    try:
        return schema.model_validate(table), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            where = _path(prefix, loc)
            if item["type"] == "extra_forbidden":
                allowed = _fields_at(schema, loc)
                close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed) or 'none'}"
                problems.append(f"{where}: unknown key ({hint})")
            elif item["type"] == "missing":
                problems.append(f"{where}: missing{_wanted(schema, loc)}")
            elif item["type"] == "value_error":  # a checked field type's own words (ledinfo.outside.fields)
                problems.append(f"{where}: {item['ctx']['error']}")
            else:  # pydantic's words; the value as written, a CPR number in it never repeated
                shown = redact(repr(item["input"])) if isinstance(item["input"], str) else repr(item["input"])
                problems.append(f"{where}: {item['msg'][0].lower()}{item['msg'][1:]}, got {shown}")
        return None, problems


def _wanted(schema: type[BaseModel], loc: tuple) -> str:
    """What a missing key is for, from its field's description: ": the SMTP server"."""
    model = schema
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = getattr(model.model_fields.get(part), "annotation", None)
        model = next((c for c in (annotation, *getattr(annotation, "__args__", ()))
                      if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return ""
    field = model.model_fields.get(loc[-1]) if loc else None
    return f": {field.description}" if field is not None and field.description else ""
