"""Management supervision ("ledelsestilsyn"): the reviews done against the local standard, the monthly
sample, its theme, completion and findings.

Municipalities review the cases they choose, not necessarily a sample ledinfo drew: coverage
(:func:`supervision_coverage`) counts the cases reviewed against the number the local standard asks
for; the sample's completion means something only where the municipality reviews that sample
(:func:`uses_sample`).

The sample for a month is drawn at the end of the month before: by default one
active case per employed caseworker, picked by a SHA-256 hash of the month,
the team and the case id. The same data and month always give the same sample,
whatever the order of the rows, and a caseworker cannot predict which case.
"""

from __future__ import annotations

import hashlib
import threading

import polars as pl

from ledinfo.domain.indicators.common import active_cases, active_on, employed_caseworkers
from ledinfo.language import LANGUAGES, N_, Language
from ledinfo.model.period import Period

# The seeds' example themes, the default annual wheel ("årshjul").
DEFAULT_THEMES = (
    "Støtteperson ved anbringelser",
    "Handleplaner med underskrift",
    "Egenbetalinger",
    "Beregninger",
    "Vurderinger og journalnotater",
)


# The default wheel's themes as a pack names them in its language. The themes themselves are the extract's words (a
# review is filed under "Beregninger") and are matched as typed; an English pack named them in Danish (a fresh
# reader's finding). A municipality's own themes are its own words, printed as configured.
THEME_NAMES = {
    "Støtteperson ved anbringelser": N_("Support person for placed children"),
    "Handleplaner med underskrift": N_("Action plans with signatures"),
    "Egenbetalinger": N_("Parental payments"),
    "Beregninger": N_("Calculations"),
    "Vurderinger og journalnotater": N_("Assessments and case notes"),
}


def theme_name(theme: str) -> dict[str, str]:
    """A theme as {language: its name}: a default theme in each pack language, any other as typed."""
    return {code: Language(code)(THEME_NAMES[theme]) if theme in THEME_NAMES else theme for code in LANGUAGES}


def themes_named(themes) -> dict[str, str]:
    """A wheel's themes as {language: "…, …"}, each named by :func:`theme_name`."""
    names = [theme_name(theme) for theme in themes]
    return {code: ", ".join(name[code] for name in names) for code in LANGUAGES}


# Themes about placed children, which cannot apply to a team without placements.
PLACEMENT_THEMES = ("Støtteperson ved anbringelser",)


def theme_for(period: Period, themes: tuple[str, ...] = DEFAULT_THEMES) -> str:
    """The wheel's theme for a month: January takes the first, and so on, round the wheel."""
    return themes[(period.month - 1) % len(themes)]


def same_theme(a: str, b: str) -> bool:
    """Themes are typed by hand: the same theme whatever the case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def team_theme(period: Period, wheel: tuple[str, ...], placements: bool,
               placement_themes: tuple[str, ...] = PLACEMENT_THEMES) -> tuple[str | None, tuple[str, ...]]:
    """A team's theme for ``period`` and the themes skipped to reach it.

    The month's theme of the team's wheel (:func:`theme_for`); when it cannot apply — a
    placement theme for a team without placements — the next one round the wheel that can.
    None when no theme of the wheel can apply.
    """
    start = (period.month - 1) % len(wheel)
    skipped: list[str] = []
    for step in range(len(wheel)):
        theme = wheel[(start + step) % len(wheel)]
        if placements or not any(same_theme(theme, other) for other in placement_themes):
            return theme, tuple(skipped)
        skipped.append(theme)
    return None, tuple(skipped)


def teams_with_placements(cases: pl.DataFrame, measures: pl.DataFrame, as_of) -> set[str]:
    """The teams with at least one placement active on ``as_of`` on one of their cases."""
    placed = measures.filter(pl.col("category").str.starts_with("anbringelse") & (pl.col("started_on") <= as_of)
                             & (pl.col("ended_on").is_null() | (pl.col("ended_on") > as_of)))
    return set(placed.join(cases.select("case_id", "team"), on="case_id")["team"].drop_nulls().to_list())


def _draw_keys(month: str, teams: list, case_ids: list) -> list[bytes]:
    """Each candidate's key: the SHA-256 of the month, the team and the case id. The digest's bytes sort as its
    hex digits do (each byte two digits, in the same order), so the sample is the one the hex keys drew."""
    prefix, sha256 = f"ledinfo-supervision|{month}|", hashlib.sha256
    return [sha256(f"{prefix}{team}|{case_id}".encode()).digest() for team, case_id in zip(teams, case_ids)]


# The samples drawn last, by month and size: (the candidates they were drawn from, the sample). A build draws a
# month's sample several times — whether the municipality reviews the sample (a year of months), the completion
# of each trend month (the extract as known at its end, which for most months leaves the same candidates), the
# sample's cases reviewed after closing, next month's — and hashing every candidate was most of each draw (a
# quarter of the supervision section's CPU at scale 10). A sample depends on its candidates alone, so one drawn
# from equal candidates is the same sample; the memo holds a few months of one municipality's candidates.
_DRAWN: dict[tuple[str, int], tuple[pl.DataFrame, pl.DataFrame]] = {}
_DRAWN_MONTHS = 16  # the year of months uses_sample looks at, the comparisons' and the next month's
_DRAWN_LOCK = threading.Lock()  # builds in threads (an API caller's) share the memo


def draw_sample(cases: pl.DataFrame, staff: pl.DataFrame, month: Period, per_caseworker: int = 1) -> pl.DataFrame:
    """The sample for ``month``, drawn from the cases active at the end of the month before.

    Returns team, caseworker_id, case_id, one row per sampled case.
    """
    drawn_on = month.shift(-1).end
    employed = employed_caseworkers(staff, drawn_on).select(pl.col("staff_id").alias("caseworker_id"))
    candidates = (active_cases(cases, drawn_on).join(employed, on="caseworker_id")
                  .select("team", "caseworker_id", "case_id"))
    memo = (str(month), per_caseworker)
    with _DRAWN_LOCK:
        drawn = _DRAWN.get(memo)
    if drawn is not None and drawn[0].equals(candidates):
        return drawn[1]
    keys = _draw_keys(memo[0], candidates["team"].to_list(), candidates["case_id"].to_list())
    sample = (candidates.with_columns(pl.Series("key", keys, dtype=pl.Binary))
              .sort("caseworker_id", "key")
              .group_by("caseworker_id", maintain_order=True).head(per_caseworker)
              .drop("key").sort("team", "caseworker_id", "case_id"))
    with _DRAWN_LOCK:
        _DRAWN.pop(memo, None)
        while len(_DRAWN) >= _DRAWN_MONTHS:  # the oldest drawn first
            del _DRAWN[next(iter(_DRAWN))]
        _DRAWN[memo] = (candidates, sample)
    return sample


def supervision_completion(cases: pl.DataFrame, staff: pl.DataFrame, activities: pl.DataFrame, period: Period,
                           per_caseworker: int = 1) -> pl.DataFrame:
    """The sample drawn for ``period`` with ``done``: a ledelsestilsyn on the case during the period.

    A quarter or a year to date holds the samples of its months, each reviewed in its own month.
    """
    if period.length > 1:
        return pl.concat([supervision_completion(cases, staff, activities, month, per_caseworker)
                          for month in period.months()])
    sample = draw_sample(cases, staff, period, per_caseworker)
    reviewed = (activities.filter((pl.col("kind") == "ledelsestilsyn") & pl.col("date").is_between(period.start, period.end))
                .select("case_id").unique().with_columns(pl.lit(True).alias("done")))
    return sample.join(reviewed, on="case_id", how="left").with_columns(pl.col("done").fill_null(False))


OTHER_THEME = "other"  # a theme the annual wheel does not know: free text, never printed as typed


def known_theme(themes: tuple[str, ...]) -> pl.Expr:
    """The ``theme`` column as one of the wheel's ``themes`` (matched without case and spaces), else OTHER_THEME.

    A theme is typed by hand in the case system, and a name typed into it reached every
    team pack: free text is printed only when it is a value the configuration knows.
    """
    canonical = {" ".join(theme.split()).casefold(): theme for theme in themes}
    typed = pl.col("theme").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
    return (typed.replace_strict(canonical, default=OTHER_THEME, return_dtype=pl.String)
            .fill_null(OTHER_THEME).alias("theme"))


def supervision_findings(activities: pl.DataFrame, cases: pl.DataFrame, period: Period,
                         themes: tuple[str, ...] = DEFAULT_THEMES) -> pl.DataFrame:
    """The ledelsestilsyn activities in ``period``, each with ``deviation`` (result = afvigelse) and theme
    (one of ``themes``, else OTHER_THEME)."""
    reviews = activities.filter((pl.col("kind") == "ledelsestilsyn") & pl.col("date").is_between(period.start, period.end))
    return (reviews.join(cases.select("case_id", "team"), on="case_id", how="left")
            .with_columns((pl.col("result") == "afvigelse").fill_null(False).alias("deviation"), known_theme(themes))
            .select("team", "case_id", "date", "theme", "result", "deviation"))


def _reviews(activities: pl.DataFrame, period: Period) -> pl.DataFrame:
    return activities.filter((pl.col("kind") == "ledelsestilsyn") & pl.col("date").is_between(period.start, period.end))


def sample_reviewed_when_closed(cases: pl.DataFrame, staff: pl.DataFrame, activities: pl.DataFrame, period: Period,
                                per_caseworker: int = 1) -> pl.DataFrame:
    """The sample's cases whose every review in their month fell on a day the case was not active (reviewed after
    it was closed): :func:`supervision_completion` counts them reviewed, :func:`supervision_coverage` does not, as
    it counts active cases. So a pack that shows both can say why "5 af 5 sager af stikprøven" stands beside "4
    sager gennemgået" (a fresh reader took the two for a contradiction).

    A quarter or a year to date adds up its months. Returns team, cases: one row per team with any, sorted.
    """
    rows = [pl.DataFrame(schema={"team": pl.String, "cases": pl.UInt32})]
    for month in period.months():
        sample = draw_sample(cases, staff, month, per_caseworker).select("team", "case_id")
        reviews = (_reviews(activities, month).select("case_id", "date").join(sample, on="case_id")
                   .join(cases.select("case_id", "opened_on", "closed_on"), on="case_id")
                   .with_columns(active_on("opened_on", "closed_on", pl.col("date")).alias("active")))
        rows.append(reviews.group_by("team", "case_id").agg(pl.col("active").any()).filter(~pl.col("active"))
                    .group_by("team").agg(pl.len().cast(pl.UInt32).alias("cases")))
    return pl.concat(rows).group_by("team").agg(pl.col("cases").sum()).sort("team")


def supervision_coverage(cases: pl.DataFrame, staff: pl.DataFrame, activities: pl.DataFrame, period: Period,
                         per_caseworker: int = 1) -> pl.DataFrame:
    """The cases reviewed in ``period`` against the number the local standard requires, per team.

    ``reviewed``: distinct cases with a ``ledelsestilsyn`` in the month on which they were active (the
    review's day), counted in the case's team; ``required``: ``per_caseworker`` for each caseworker employed
    at the month's end, counted in the caseworker's team. A quarter or a year to date adds up its months:
    the standard is monthly, so a case reviewed in two months counts in each. Returns team, reviewed,
    required: one row per team with either, and the municipality's row (team null) first.
    """
    rows = []
    for month in period.months():
        reviewed = (_reviews(activities, month).join(cases.select("case_id", "team", "opened_on", "closed_on"),
                                                     on="case_id")
                    .filter(active_on("opened_on", "closed_on", pl.col("date")))
                    .unique("case_id").group_by("team").agg(pl.len().alias("reviewed")))
        required = (employed_caseworkers(staff, month.end).group_by("team")
                    .agg((pl.len() * per_caseworker).alias("required")))
        rows.append(reviewed.join(required, on="team", how="full", coalesce=True))
    teams = (pl.concat(rows).group_by("team").agg(pl.col("reviewed").sum(), pl.col("required").sum())
             .with_columns(pl.col("reviewed", "required").fill_null(0).cast(pl.Int64)).sort("team"))
    total = teams.select(pl.lit(None, pl.String).alias("team"), pl.col("reviewed").sum(), pl.col("required").sum())
    return pl.concat([total, teams.select(total.columns)])


def uses_sample(cases: pl.DataFrame, staff: pl.DataFrame, activities: pl.DataFrame, period: Period,
                per_caseworker: int = 1, months: int = 12) -> bool:
    """Does the municipality review ledinfo's drawn sample? True when at least half of the reviews of the
    ``months`` months up to ``period``'s end were on the case drawn for the review's month, and when there
    were none (a municipality yet to start is offered the sample).

    A municipality that chooses its own cases hits the sample by chance only (about one review in ten
    where a caseworker holds ten cases); one that reviews the sample, nearly always.
    """
    reviews = on_sample = 0
    for month in period.last_month.trailing(months):
        done = _reviews(activities, month).select("case_id")
        if done.height == 0:
            continue
        sample = draw_sample(cases, staff, month, per_caseworker).select("case_id")
        reviews += done.height
        on_sample += done.join(sample, on="case_id", how="semi").height
    return on_sample * 2 >= reviews
