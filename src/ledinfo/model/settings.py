"""A plugin's own settings: the config's ``[plugins.<name>]`` table, checked by the plugin's schema.

A plugin declares its settings as a :class:`Settings` subclass (a pydantic model:
typed fields, defaults, unknown keys refused) and registers it with
``ledinfo_register_settings``. ledinfo checks the table with the rest of the
configuration and reports every problem at once with its key path, as it does
for its own keys.
"""

from __future__ import annotations

import difflib
from typing import get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from ledinfo.privacy.cpr import redact


class Settings(BaseModel):
    """Base class of a plugin's settings. Fields need defaults unless the table is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def shown_key(key) -> str:
    """A key as a key path shows it: as written, or quoted and escaped if it holds what cannot be printed; a CPR
    number in it is never repeated."""
    key = redact(str(key))
    return key if key.isprintable() else repr(key)


def _path(prefix: str, loc: tuple) -> str:
    path = prefix
    for part in loc:
        if part == "[key]":  # pydantic's mark of a problem with a table's key, not its value: the key's path
            continue
        path += f"[{part + 1}]" if isinstance(part, int) else f".{shown_key(part)}" if path else shown_key(part)
    return path


def _model_in(annotation) -> type[BaseModel] | None:
    """The model a field's type holds, through lists, tables, ``| None`` and ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _model_at(schema: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model whose key ``loc`` names (None: not a model's key)."""
    model = schema
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        model = _model_in(getattr(model.model_fields.get(part), "annotation", None))
    return model


def _fields_at(schema: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where ``loc`` points (for "did you mean")."""
    model = _model_at(schema, loc)
    return list(model.model_fields) if model is not None else []


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
            elif item["type"] == "value_error":  # a checked field type's own words (ledinfo.model.fields)
                message = str(item["ctx"]["error"])
                if loc and loc[-1] == "[key]" and message.startswith("holds a CPR number"):
                    message = f"the key {message}"  # the path shows the key, the number redacted
                problems.append(f"{where}: {message}")
            elif item["type"] in ("model_type", "dict_type", "model_attributes_type"):
                problems.append(f"{where}: must be a table, got {_shown(item['input'])}")
            else:  # pydantic's words; the value as written, a CPR number in it never repeated
                problems.append(f"{where}: {item['msg'][0].lower()}{item['msg'][1:]}, got {_shown(item['input'])}")
        return None, problems


def _shown(value) -> str:
    return redact(repr(value))


def _wanted(schema: type[BaseModel], loc: tuple) -> str:
    """What a missing key is for, from its field's description: ": the SMTP server"."""
    model = _model_at(schema, loc)
    field = model.model_fields.get(loc[-1]) if model is not None and loc else None
    return f": {field.description}" if field is not None and field.description else ""
