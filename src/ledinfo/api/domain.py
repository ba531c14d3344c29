"""domain.md as a library for plugins: the indicators as plain functions over Polars frames,
the rule catalogue's kinds, national reference figures, and the demo generator.

Built-in sections compute their figures with these; an external section may too.
Every function takes validated tables (Polars frames) and dates and returns a frame.
"""

from typing import TYPE_CHECKING

from ledinfo.domain.indicators.activity import (
    FAMILY_CARE,
    active_measures,
    children_by_measure,
    cost_per_placement,
    measures_by_category,
    new_placements_by_month,
    notifications_by_month,
)
from ledinfo.domain.indicators.caseload import (
    GUIDELINE,
    PROGRAMME_LEVEL,
    SURVEY,
    caseload_by_caseworker,
    caseload_by_team,
    cases_without_caseworker,
    summary_extra,
)
from ledinfo.domain.indicators.deadlines import REQUIRES, open_steps
from ledinfo.domain.indicators.economy import budget_to_date
from ledinfo.domain.indicators.effect_values import (
    EFFECT_INDICATORS,
    LOWER_IS_BETTER,
    duration_figures,
    has_costs,
    has_end_reasons,
)
from ledinfo.domain.indicators.followup import six_week_followup
from ledinfo.domain.indicators.history import HISTORY_YEARS, history_labels, yearly_periods
from ledinfo.domain.indicators.ladder import MOVES, STEP_NUMBERS, STEPS, ladder_moves, steps_on
from ledinfo.domain.indicators.outcomes import (
    BREAKDOWN,
    INSTITUTIONS,
    NOT_RECORDED,
    REASONS,
    breakdowns_in,
    ended_placements,
    long_institution_placements,
    median_days,
)
from ledinfo.domain.indicators.renotification import closing_window, renotification
from ledinfo.domain.indicators.spending import PREVENTIVE, measure_use, prevention_share, spending_by
from ledinfo.domain.indicators.staffing import continuity, turnover
from ledinfo.domain.indicators.supervision import (
    DEFAULT_THEMES,
    OTHER_THEME,
    PLACEMENT_THEMES,
    draw_sample,
    supervision_completion,
    supervision_coverage,
    supervision_findings,
    team_theme,
    teams_with_placements,
    theme_for,
    uses_sample,
)
from ledinfo.domain.indicators.values import (
    INDICATORS,
    PLACEMENT_GROUPS,
    PLACEMENT_TYPES,
    REPORTER_GROUPS,
    rule_indicator,
)
from ledinfo.domain.indicators.volume_price import (
    FUNCTION_CATEGORIES,
    NO_BUDGETED_PERSONS,
    NO_VOLUME,
    NOT_MAPPED,
    SPLIT,
    volume_price,
    year_to_date,
)
from ledinfo.domain.reference import PLACEMENT_MIX_2018, national_reference

__all__ = [
    # effect and money (domain.md "Effect and money")
    "BREAKDOWN", "EFFECT_INDICATORS", "FUNCTION_CATEGORIES", "HISTORY_YEARS", "INSTITUTIONS", "LOWER_IS_BETTER",
    "MOVES", "NOT_MAPPED", "NOT_RECORDED", "NO_BUDGETED_PERSONS", "NO_VOLUME", "PREVENTIVE", "REASONS", "SPLIT",
    "STEPS", "STEP_NUMBERS", "breakdowns_in", "closing_window", "duration_figures", "ended_placements",
    "has_costs", "has_end_reasons", "history_labels", "ladder_moves", "long_institution_placements", "measure_use", "median_days",
    "prevention_share", "renotification", "spending_by", "steps_on", "volume_price", "year_to_date",
    "yearly_periods",
    "DEFAULT_SEED", "DEFAULT_THEMES", "FAMILY_CARE", "GUIDELINE", "INDICATORS",
    "PLACEMENT_GROUPS", "PLACEMENT_TYPES", "REPORTER_GROUPS", "OTHER_THEME", "PLACEMENT_MIX_2018",
    "PLACEMENT_THEMES",
    "PROGRAMME_LEVEL", "REQUIRES", "SURVEY", "DemoSpec", "active_measures", "budget_to_date", "caseload_by_caseworker",
    "caseload_by_team", "cases_without_caseworker", "children_by_measure", "continuity", "cost_per_placement",
    "draw_sample", "generate", "measures_by_category", "national_reference", "new_placements_by_month",
    "notifications_by_month", "open_steps", "rule_indicator", "six_week_followup", "summary_extra",
    "supervision_completion", "supervision_coverage", "supervision_findings", "team_theme", "teams_with_placements",
    "theme_for", "turnover", "uses_sample",
]


if TYPE_CHECKING:
    from ledinfo.demo import DEFAULT_SEED, DemoSpec, generate

_DEMO = ("DEFAULT_SEED", "DemoSpec", "generate")


def __getattr__(name: str):
    """The demo generator, imported when first asked for: it needs NumPy, which no build otherwise
    imports (a tenth of a second of every build's start-up)."""
    if name in _DEMO:
        import ledinfo.demo  # deferred: NumPy (see the docstring)

        globals()[name] = value = getattr(ledinfo.demo, name)  # found here from now on, as if imported
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
