"""The targets interface: what judges an indicator besides the law and the indicator's own standard.

A target is a value an indicator should reach in a period — the committee's annual goal ("årsmål"), a
local service standard — from any plugin: the goals plugin provides the year's goals from its settings,
another plugin could read them from the municipality's budget system. Every section reads the period's
targets through its context (``context.targets``), and the build judges each figure against the one
yardstick the documented precedence chooses (:mod:`ledinfo.model.verdicts`): no section reads another
plugin's settings to find them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ledinfo.domain.indicator import Indicator
from ledinfo.domain.rules import Catalogue
from ledinfo.model.period import Period
from ledinfo.model.settings import Settings
from ledinfo.model.verdicts import Target


@dataclass(frozen=True)
class TargetContext:
    """What :meth:`Targets.targets` is given: the report period, every installed indicator (by id), the
    providing plugin's own checked settings (its ``[plugins.<name>]`` table; None if it registers none), and the
    rule catalogue with the config's overrides and local standards applied (``rules``: iterate it for each rule's
    ``id``, ``local`` and ``title``), as a section's context has it."""

    period: Period
    indicators: Mapping[str, Indicator]
    settings: Settings | None = None
    rules: Catalogue | None = None


class Targets:
    """Base class for a provider of targets. Subclass it and register an instance
    (``ledinfo_register_targets``).

    Required attributes: ``name`` (lower case, ``_`` allowed), ``description`` (one line) and
    ``targets(context)``, returning the :class:`~ledinfo.api.Target` values that hold in
    ``context.period`` (a goal for another year is not returned). A target may name an indicator no
    installed section provides: it is kept in ``context.targets`` (the goals table says it is not
    followed) but judges nothing.
    """

    name: str = ""
    description: str = ""

    def targets(self, context: TargetContext) -> Iterable[Target]:  # pragma: no cover - abstract
        """The targets that hold in ``context.period`` (goals of its year), from the provider's checked settings
        (``context.settings``); each judges the figures of its indicator in every pack."""
        raise NotImplementedError
