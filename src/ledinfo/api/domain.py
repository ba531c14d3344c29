"""domain.md as a library for plugins: the indicators as plain functions over Polars frames,
the rule catalogue's kinds, the domain's categories and their labels in each language, national reference
figures, and the demo generator.

Built-in sections compute their figures with these; an external section may too.
Every function takes validated tables (Polars frames) and dates and returns a frame.
"""

from typing import TYPE_CHECKING

from ledinfo.domain import reference as _reference
from ledinfo.domain.indicators import activity as _activity
from ledinfo.domain.indicators import caseload as _caseload
from ledinfo.domain.indicators import deadlines as _deadlines
from ledinfo.domain.indicators import effect_values as _effect_values
from ledinfo.domain.indicators import followup as _followup
from ledinfo.domain.indicators import history as _history
from ledinfo.domain.indicators import ladder as _ladder
from ledinfo.domain.indicators import measure_fold as _measure_fold
from ledinfo.domain.indicators import outcomes as _outcomes
from ledinfo.domain.indicators import spending as _spending
from ledinfo.domain.indicators import supervision as _supervision
from ledinfo.domain.indicators import values as _values
from ledinfo.domain.indicators import volume_price as _volume_price
from ledinfo.domain.indicators.activity import (
    active_measures,
    children_by_measure,
    cost_per_placement,
    measures_by_category,
    new_placements_by_month,
    notifications_by_month,
)
from ledinfo.domain.indicators.caseload import caseload_by_caseworker, caseload_by_team, cases_without_caseworker, summary_extra
from ledinfo.domain.indicators.deadlines import open_steps
from ledinfo.domain.indicators.economy import budget_to_date
from ledinfo.domain.indicators.effect_values import duration_figures, has_costs, has_end_reasons
from ledinfo.domain.indicators.followup import six_week_followup
from ledinfo.domain.indicators.history import history_labels, yearly_periods
from ledinfo.domain.indicators.ladder import ladder_moves, steps_on
from ledinfo.domain.indicators.outcomes import breakdowns_in, ended_placements, long_institution_placements, median_days
from ledinfo.domain.indicators.renotification import closing_window, renotification
from ledinfo.domain.indicators.spending import measure_use, prevention_share, spending_by
from ledinfo.domain.indicators.staffing import continuity, turnover
from ledinfo.domain.indicators.supervision import (
    draw_sample,
    sample_reviewed_when_closed,
    supervision_completion,
    supervision_coverage,
    supervision_findings,
    team_theme,
    teams_with_placements,
    theme_for,
    theme_name,
    themes_named,
    uses_sample,
)
from ledinfo.domain.indicators.values import rule_indicator
from ledinfo.domain.indicators.volume_price import volume_price, volume_price_at, year_to_date
from ledinfo.domain.reference import national_reference
from ledinfo.extract import schema as _schema
from ledinfo.words import labels as _labels

# The library's constants, each documented where a plugin author reads it (a docstring after the assignment is
# pdoc's, so the reference shows it).

FAMILY_CARE = _activity.FAMILY_CARE
"""The measure categories of a placement in a family: a foster family or the child's network."""
GUIDELINE = _caseload.GUIDELINE
"""The professional association's guideline for a caseload, (20.0, 30.0) children per caseworker (2020)."""
SURVEY = _caseload.SURVEY
"""The national survey's caseloads, cases per caseworker: {"udsatte": 40.0, "handicap": 55.0} (domain.md)."""
PROGRAMME_LEVEL = _caseload.PROGRAMME_LEVEL
"""The seeds' programme level of a caseload, about 20 cases per caseworker."""
REQUIRES = _deadlines.REQUIRES
"""The tables each kind of legal deadline rule needs (rule kind → table names), as a section's ``requires``."""
EFFECT_INDICATORS = _effect_values.EFFECT_INDICATORS
"""The effect sections' indicators (placement breakdowns, durations, ...), by id, as :class:`ledinfo.api.Indicator`."""
LOWER_IS_BETTER = _effect_values.LOWER_IS_BETTER
"""A figure's ``extra`` for an indicator where lower is better: a team above the municipality is the one behind."""
HISTORY_YEARS = _history.HISTORY_YEARS
"""How many years a figure by year shows by default: the report period's year and the two before it."""
STEPS = _ladder.STEPS
"""The placement ladder ("indsatstrappen"): each measure category's step, 1 (preventive) to 4 (an institution)."""
STEP_NUMBERS = _ladder.STEP_NUMBERS
"""The ladder's steps in order, (1, 2, 3, 4)."""
MOVES = _ladder.MOVES
"""How a child moved on the ladder in a period: "new", "up", "same", "down", "ended"."""
INSTITUTIONS = _outcomes.INSTITUTIONS
"""The measure categories of an institutional placement (a residential home, a 24-hour institution)."""
BREAKDOWN = _outcomes.BREAKDOWN
"""The end reason of a placement that broke down ("sammenbrud")."""
NOT_RECORDED = _outcomes.NOT_RECORDED
"""The end reason given to an ended placement whose reason the extract does not record."""
REASONS = _outcomes.REASONS
"""Every end reason an ended placement can have: the extract's end reasons and :data:`NOT_RECORDED`."""
AWAITING_CONTACT = _followup.AWAITING
"""The column of :func:`six_week_followup`'s frame marking a case never contacted whose first contact is not yet due:
pending (domain.md), out of the share, counted in its ``extra["pending"]``."""
PREVENTIVE = _spending.PREVENTIVE
"""The measure category of preventive measures ("forebyggende")."""
DEFAULT_THEMES = _supervision.DEFAULT_THEMES
"""The default annual wheel of supervision themes ("årshjul"), one a month in turn (the seeds' example themes)."""
OTHER_THEME = _supervision.OTHER_THEME
"""A supervision theme the annual wheel does not know: free text, never printed as typed."""
THEME_NAMES = _supervision.THEME_NAMES
"""The default wheel's themes' names in each pack language (message ids by theme): a table's ``value_labels``."""
PLACEMENT_THEMES = _supervision.PLACEMENT_THEMES
"""The supervision themes about placed children, which cannot apply to a team without placements."""
INDICATORS = _values.INDICATORS
"""The built-in indicators of domain.md (six-week follow-up, caseload, budget, ...), by id, as
:class:`ledinfo.api.Indicator`."""
PLACEMENT_TYPES = _values.PLACEMENT_TYPES
"""The placement categories folded by where the child lives: family, residential, institution (for a small
municipality's committee, where a finer breakdown would be too thin)."""
PLACEMENT_GROUPS = _values.PLACEMENT_GROUPS
"""The placement categories folded into two: in a family, or in residential care (for a few dozen placements)."""
measure_fold = _measure_fold.measure_fold
"""The one breakdown of measures the spending and the volume/price sections show (preventive; the placements by
type, by group or together, as coarse as every part needs to rest on the threshold of measures in each month)."""
PLACEMENTS = _measure_fold.PLACEMENTS
"""The placement categories together (a figure's category: the spending section's subtotal)."""
REPORTER_GROUPS = _values.REPORTER_GROUPS
"""Who made a notification, folded into two: professionals and others (private persons, anonymous)."""
FUNCTION_CATEGORIES = _volume_price.FUNCTION_CATEGORIES
"""domain.md's account functions (5.28.20, ...) and the measure categories whose spending each carries."""
SPLIT = _volume_price.SPLIT
"""A volume and price effect's status: the budget deviation is split into the two."""
NO_VOLUME = _volume_price.NO_VOLUME
"""A volume and price effect's status: finance gives no budgeted volume for some month of the year so far."""
NOT_MAPPED = _volume_price.NOT_MAPPED
"""A volume and price effect's status: budget volumes, but no measure category is mapped to the function."""
NO_BUDGETED_PERSONS = _volume_price.NO_BUDGETED_PERSONS
"""A volume and price effect's status: the budgeted volume is 0, so there is no budgeted unit price."""
PLACEMENT_MIX_2018 = _reference.PLACEMENT_MIX_2018
"""Denmark's placements in 2018 by kind, as shares: foster family, institution, residential home."""

# The domain's categories as the extract writes them, and as a reader reads them, in each language.

MEASURE_CATEGORIES = _schema.MEASURE_CATEGORIES
"""The categories a measure of the ``measures`` table may have (forebyggende, anbringelse_plejefamilie, ...)."""
CATEGORY_LABELS = _labels.CATEGORY_LABELS
"""The extract's measure categories (:data:`MEASURE_CATEGORIES`) as a reader reads them, in each language."""
REPORTER_LABELS = _labels.REPORTER_LABELS
"""Who made a notification (the ``notifications`` table's ``reporter``), in each language."""
PLACEMENT_TYPE_LABELS = _labels.PLACEMENT_TYPE_LABELS
"""The placement categories folded by where the child lives (:data:`PLACEMENT_TYPES`), in each language."""
FUNCTION_LABELS = _labels.FUNCTION_LABELS
"""The budget's account functions (5.28.20, ...; :data:`FUNCTION_CATEGORIES`) with their names, in each language."""

__all__ = [
    # effect and money (domain.md "Effect and money")
    "BREAKDOWN", "EFFECT_INDICATORS", "FUNCTION_CATEGORIES", "HISTORY_YEARS", "INSTITUTIONS", "LOWER_IS_BETTER",
    "MOVES", "NOT_MAPPED", "NOT_RECORDED", "NO_BUDGETED_PERSONS", "NO_VOLUME", "PLACEMENTS", "PREVENTIVE", "REASONS",
    "SPLIT", "STEPS", "STEP_NUMBERS", "breakdowns_in", "closing_window", "duration_figures", "ended_placements",
    "has_costs", "has_end_reasons", "history_labels", "ladder_moves", "long_institution_placements", "measure_fold",
    "measure_use", "median_days",
    "prevention_share", "renotification", "spending_by", "steps_on", "volume_price", "volume_price_at", "year_to_date",
    "yearly_periods",
    # the domain's categories and their labels in each language
    "MEASURE_CATEGORIES", "CATEGORY_LABELS", "REPORTER_LABELS", "PLACEMENT_TYPE_LABELS", "FUNCTION_LABELS",
    "DEFAULT_SEED", "DEFAULT_THEMES", "FAMILY_CARE", "GUIDELINE", "INDICATORS",
    "PLACEMENT_GROUPS", "PLACEMENT_TYPES", "REPORTER_GROUPS", "OTHER_THEME", "PLACEMENT_MIX_2018",
    "PLACEMENT_THEMES", "AWAITING_CONTACT",
    "PROGRAMME_LEVEL", "REQUIRES", "SURVEY", "DemoSpec", "active_measures", "budget_to_date", "caseload_by_caseworker",
    "caseload_by_team", "cases_without_caseworker", "children_by_measure", "continuity", "cost_per_placement",
    "draw_sample", "generate", "measures_by_category", "national_reference", "new_placements_by_month",
    "notifications_by_month", "open_steps", "rule_indicator", "sample_reviewed_when_closed", "six_week_followup",
    "summary_extra", "supervision_completion", "supervision_coverage", "supervision_findings", "team_theme",
    "teams_with_placements", "theme_for", "theme_name", "themes_named", "THEME_NAMES", "turnover", "uses_sample",
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
