"""Built-in section: legal-deadline compliance, every rule of the catalogue.

Each rule (and each local standard) is judged per month with the regime in
force on each event's date; the section shows the shares for the period and
the 12 months before, and, for team leaders, the steps to act on: those past
their deadline and those due in the next 30 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl

from ledinfo.api import (
    CASE,
    DUE_SOON,
    LANGUAGES,
    LATER,
    MONTH,
    N_,
    PAST_DEADLINE,
    SOON_DAYS,
    TEAM,
    Action,
    Chart,
    Column,
    FigureRef,
    Language,
    Period,
    Ref,
    Relation,
    Section,
    SectionResult,
    Table,
    count_figures,
    current_figures,
    date_in_each_language,
    hookimpl,
    indicator_figures,
    label_of_period,
    last_whole_quarter,
    month_in_each_language,
    share_table,
    share_text,
    text_in,
    trend_figures,
)
from ledinfo.api.domain import (
    CATEGORY_LABELS,
    INDICATORS,
    REQUIRES,
    open_steps,
    rule_indicator,
)

HORIZON_DAYS = 30


def split_by_deadline(steps: pl.DataFrame, end: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``steps`` (open_steps' rows, ``from_birth`` beside them) as the steps past their deadline at ``end`` and those
    due in the next :data:`HORIZON_DAYS` days. A step due by age is placed by its month, as it is printed: by its day,
    one due on the period's last day would stand among the steps due soon while the rest of its month stood among the
    late ones, telling the birthday; and one due on the 31st would be missing from a horizon that ends on the 30th. So
    a step due by age is late when its month is the period's last month or earlier, and due soon when its month
    begins within the horizon."""
    month = pl.col("due").dt.truncate("1mo")
    by_age = pl.col("from_birth").fill_null(False)
    horizon = (end + dt.timedelta(days=HORIZON_DAYS)).replace(day=1)
    late = pl.when(by_age).then(month <= end.replace(day=1)).otherwise(pl.col("days") > 0)
    within = pl.when(by_age).then(month <= horizon).otherwise(pl.col("days") >= -HORIZON_DAYS)
    steps = steps.filter(within)
    return steps.filter(late), steps.filter(~late)
TREND_QUARTERS = 4


class ComplianceSection(Section):
    name = "compliance"
    title = N_("Legal deadlines")
    description = "Compliance with every legal deadline of the rule catalogue and the local standards, per team."
    requires = ("cases",)

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        rules = [r for r in context.rules if context.extract.has(*REQUIRES[r.kind])]
        skipped = [r for r in context.rules if r not in rules]
        result = SectionResult(self.name, self.title, headline=("investigation_4m", "investigation_overdue"),
                               labels={"investigation_overdue": N_("Open investigations past 4 months"),
                                       "overdue_steps": N_("Steps past their deadline"),
                                       "steps_due_soon": N_("Steps due in the next 30 days")})
        titles = {r.id: r.title for r in context.rules}
        # the period the shares are of, in the titles of what shows them all: another pack shows some of them for
        # another period (the committee's briefing, the last whole quarter), so a reader comparing the two sees why
        # the numbers differ
        named = {"period": month_in_each_language(period)}
        shorts = {r.id: r.short for r in context.rules}
        for rule in rules:
            result.labels[rule.id] = rule.title
            current = current_figures(rule.id, context)
            if rule.local:  # a local standard is never named as "furthest from the law"
                current = [f.with_(extra={**f.extra, "local": True}) for f in current]
            result.figures += current + trend_figures(rule.id, context)
        if extract.has("investigations"):
            result.figures += current_figures("investigation_overdue", context)
        # a rule's judged + pending notifications are the period's notifications (of a kind): the committee's
        # protection ties them to the notifications indicator's numbers, in every period of the series
        result.relations += _notification_relations([r.id for r in rules])

        overview = pl.concat([share_table(result.figures, r.id).with_columns(pl.lit(r.id).alias("rule"))
                              for r in rules], how="vertical_relaxed") if rules else pl.DataFrame()
        if rules:
            pending = {(f.indicator, f.team): f.extra.get("pending", 0) for f in result.figures
                       if f.period is None and f.indicator in titles}
            overview = overview.with_columns(
                pl.struct("rule", "team").map_elements(lambda row: pending.get((row["rule"], row["team"]), 0),
                                                       return_dtype=pl.Int64).alias("pending"),
                pl.col("rule").replace_strict(_basis(rules, period), return_dtype=pl.String).alias("basis"),
                pl.col("rule").replace_strict({r.id: "local" if r.local else "law" for r in rules},
                                              return_dtype=pl.String).alias("source"))
            position = {r.id: i for i, r in enumerate(rules)}
            ordered = overview.with_columns(
                pl.col("rule").replace_strict(position, return_dtype=pl.Int64).alias("position")).sort(
                "position", "team", nulls_last=False).drop("position")  # per rule: the municipality, then teams
            result.tables.append(Table(
                "compliance_overview", (N_("Deadlines met, by rule, {period}"), named), ordered.select(
                    "team", "rule", "basis", "value", "numerator", "denominator", "pending"),
                (Column("team", N_("Team")), Column("rule", N_("Requirement")), Column("basis", N_("Legal basis")),
                 Column("value", N_("Share met"), "share", FigureRef(indicator_column="rule"), judged=True),
                 Column("numerator", N_("Met"), "count", FigureRef(indicator_column="rule", part="numerator")),
                 Column("denominator", N_("Judged"), "count", FigureRef(indicator_column="rule", part="denominator")),
                 Column("pending", N_("Pending"), "count")),
                level=TEAM, value_labels={**titles, "LOCAL": LOCAL_LABEL},
                note=N_("Pending: not done yet, with a deadline after the end of the period; left out of the share.")))
            result.tables.append(_matrix(overview, rules, titles, named))
            # each pack draws its own scope (own_scope): a team leader's the team's shares, never the
            # municipality's unlabelled beside the team's sentences; the committee's and directors' the municipality's
            shares = overview.select("team", "rule", "value")
            result.charts.append(Chart(
                "compliance_by_rule", (N_("Share of deadlines met in {period}"), named), "hbar", shares, x="rule",
                y="value",
                y_title=N_("Share met"), y_format="share", level=TEAM, team_column="team", value_labels=shorts,
                figure=FigureRef(indicator_column="rule"), judged=True, own_scope=True))
            # three lines at most: placement visits, a 12-month window already, changes too slowly to need a trend
            key_rules = [r.id for r in rules if r.id in ("notification_24h", "investigation_4m", "followup_first_3m")]
            trend = pl.DataFrame([{"team": f.team, "month": f.period, "rule": f.indicator, "value": f.value}
                                  for f in result.figures if f.period and f.staff_id is None and f.category is None
                                  and f.indicator in key_rules and Period.parse(f.period).kind == MONTH],
                                 schema={"team": pl.String, "month": pl.String, "rule": pl.String, "value": pl.Float64})
            result.charts.append(Chart(
                "compliance_trend", N_("Share of deadlines met, last 12 months"), "line", trend, x="month", y="value",
                color="rule", y_title=N_("Share met"), y_format="share", level=TEAM, team_column="team",
                value_labels=shorts, figure=FigureRef(indicator_column="rule", period_column="month"),
                judged=True, own_scope=True))
            # every rule over the last whole quarter, and the key rules per quarter: a month of a small municipality
            # holds too few cases to judge a rule (the committee's template shows these); the quarter that stands for
            # the period wherever a pack shows a rule by whole quarter only (its goal too: PackPeriods)
            last = last_whole_quarter(period)
            quarter_rows = []
            for rule in rules:
                found = [f for f in indicator_figures(rule.id, context, last) if f.staff_id is None]
                result.figures += [f for f in found if rule.id not in key_rules]  # the key rules' come below
                quarter_rows += [{"team": f.team, "rule": rule.id, "quarter": str(last), "value": f.value}
                                 for f in found]
            result.charts.append(Chart(
                "compliance_last_quarter", ("Share of deadlines met in {quarter}",
                                            {"quarter": {code: Language(code).period(last) for code in LANGUAGES}}),
                "hbar",
                pl.DataFrame(quarter_rows, schema={"team": pl.String, "rule": pl.String, "quarter": pl.String,
                                                   "value": pl.Float64}),
                x="rule", y="value", y_title=N_("Share met"), y_format="share", level=TEAM, team_column="team",
                value_labels=shorts, figure=FigureRef(indicator_column="rule", period_column="quarter"),
                judged=True, own_scope=True))
            by_quarter = []
            for quarter in period.whole_quarters(TREND_QUARTERS):
                for rule in key_rules:
                    found = [f for f in indicator_figures(rule, context, quarter) if f.staff_id is None]
                    result.figures += found
                    by_quarter += [{"team": f.team, "quarter": str(quarter), "rule": rule, "value": f.value}
                                   for f in found]
            result.charts.append(Chart(
                "compliance_by_quarter", N_("Share of deadlines met, per quarter"), "line",
                pl.DataFrame(by_quarter, schema={"team": pl.String, "quarter": pl.String, "rule": pl.String,
                                                 "value": pl.Float64}),
                x="quarter", y="value", color="rule", y_title=N_("Share met"), y_format="share", level=TEAM,
                team_column="team", value_labels=shorts,
                figure=FigureRef(indicator_column="rule", period_column="quarter"), judged=True, own_scope=True))

        statutory = [r for r in rules if not r.local]
        # a step due by age is listed by its month (below): the whole of the horizon's last month is read
        steps = pl.concat([open_steps(extract, period.end, r, HORIZON_DAYS + (31 if r.by_age else 0))
                           for r in statutory], how="vertical_relaxed") if statutory else pl.DataFrame()
        if statutory:
            # the rule's kind rides along unshown: what to do on a step is said by kind (actions())
            steps = steps.with_columns(pl.col("rule").replace_strict({r.id: r.kind for r in statutory},
                                                                     return_dtype=pl.String).alias("kind"),
                                       # a deadline set by the child's age (the decision at 17½): its day is the
                                       # birthday, which no pack tells: its month only, and no count of days
                                       pl.col("rule").is_in([r.id for r in statutory if r.by_age])
                                       .alias("from_birth"))
            # grouped by caseworker, the most urgent first within each: the lists a team leader goes through
            # a step due by age is ordered by its month, as it is printed: its day among the others' would narrow
            # the birthday down to the days of its neighbours
            by_month = (pl.lit(period.end) - pl.col("due").dt.truncate("1mo")).dt.total_days()
            steps = steps.with_columns(pl.when(pl.col("from_birth")).then(by_month).otherwise(pl.col("days"))
                                       .alias("order"))
            overdue, soon = split_by_deadline(steps, period.end)
            overdue = overdue.sort(["caseworker_id", "order", "case_id"], descending=[False, True, False],
                                   nulls_last=True)
            soon = soon.with_columns((-pl.col("days")).alias("days")).sort(
                ["caseworker_id", -pl.col("order"), "case_id"], nulls_last=True)
            step_columns = (Column("caseworker_id", N_("Caseworker"), "id"), Column("case_id", N_("Case"), "id"),
                            # a step on a case closed since: said in its list too, as "Til handling" says it
                            Column("rule", N_("Step"), dated_note=("case_closed_on", N_("(case closed {date})"))),
                            Column("item", N_("Concerning")),
                            Column("category", N_("Measure")),
                            Column("due", N_("Deadline"), "date", from_birth_date="from_birth"))
            kept = ("team", "caseworker_id", "case_id", "rule", "item", "category", "due", "days", "kind",
                    "case_closed_on", "from_birth")
            # the step by its short name, which fits its column on a line or two (its deadline has a column of its
            # own), and its measure's category, by name
            labels = {**{r.id: r.step for r in statutory}, **CATEGORY_LABELS}
            on_end = {"date": date_in_each_language(period.end)}  # days are counted to the period's end
            result.tables.append(Table(
                "overdue_steps", N_("Steps past their deadline"), overdue.select(kept),
                step_columns + (Column("days", (N_("Days overdue on {date}"), on_end), "days",
                                              from_birth_date="from_birth"),),
                level=CASE, value_labels=labels, empty_text=N_("No step is past its deadline."),
                group_by="caseworker_id"))
            result.tables.append(Table(
                "steps_due_soon", (N_("Steps due in the next {days} days"), {"days": HORIZON_DAYS}),
                soon.select(kept), step_columns + (Column("days", (N_("Days left on {date}"), on_end), "days",
                                                         from_birth_date="from_birth"),),
                level=CASE, value_labels=labels, empty_text=N_("No step is due in the next 30 days."),
                group_by="caseworker_id"))
            # steps late at the period's end, and due in the 30 days after it: states of its end
            result.figures += [f.with_(over="end") for f in count_figures("overdue_steps", overdue)
                               + count_figures("steps_due_soon", soon)]
        for rule in skipped:
            result.notes.append((N_("{rule}: not judged, the extract has no {tables} table."),
                                 {"rule": rule.title, "tables": ", ".join(extract.missing(REQUIRES[rule.kind]))}))
        result.notes.append(N_("Each event is judged by the law in force on its date: Serviceloven before "
                               "1 January 2024, Barnets Lov from then. Local standards are shown next to the law, "
                               "never instead of it."))
        return result

    def indicators(self, rules):
        return [rule_indicator(rule) for rule in rules.rules.values()] + [INDICATORS["investigation_overdue"]]

    def for_pack(self, result, periods):
        """Where the committee's briefing of the same build judges a rule by the last whole quarter and this pack
        by its own period (the directors' and the teams' month), the rule's label names that period ("Løbende
        opfølgning (oktober 2026)"): its tile, the summary's lines and the sentences then say which period their
        share is of, as the committee's say theirs ("Løbende opfølgning, 3. kvartal 2026"), so two packs' different
        numbers for one rule are visibly of different periods."""
        other = {rule: label for rule, label in result.labels.items() if periods.committee_quarter(rule) is not None}
        if not other:
            return result
        labels = {**result.labels, **{rule: label_of_period(label, periods.period) for rule, label in other.items()}}
        return replace(result, labels=labels)

    def actions(self, result, view) -> list[Action]:
        """Each step past its deadline and each due in the next 30 days, on its case and with its caseworker
        (marked when former): what to do, on which measure, investigation or notification, and the deadline
        as a date with its weekday (a pack is read days after its period: "in 3 days" would be wrong by then)."""
        t = view.language
        late, soon = result.table("overdue_steps"), result.table("steps_due_soon")
        if late is None or soon is None:  # a template that shows no lists: the counts alone
            return _counted_actions(result, view)
        found = [Action(t("{step} – the deadline was {date}", step=_step(t, late, row), date=_deadline(t, row))
                        + _closed(t, row), PAST_DEADLINE, row["case_id"], row["caseworker_id"], row["due"],
                        text_in(t, late.title))
                 for row in late.frame.iter_rows(named=True)]
        # a step due by the child's age has no count of days (its day is the birthday): due soon, as within 30 days
        found += [Action(t("{step} – deadline {date}", step=_step(t, soon, row), date=_deadline(t, row))
                         + _closed(t, row), DUE_SOON if row["days"] is None or row["days"] <= SOON_DAYS else LATER,
                         row["case_id"], row["caseworker_id"], row["due"], text_in(t, soon.title))
                  for row in soon.frame.iter_rows(named=True)]
        return found

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        # Best and worst only among the rules judged on at least the threshold of cases (domain.md, "The biggest
        # risk first"): a share of two cases says nothing. Every rule the chart below judges is a candidate, a local
        # standard too, so the sentence never names a rule while the chart shows a lower one judged on as many
        # cases. Each is named with its one verdict, the chart's colour; the chart gets no highest/lowest caption
        # of its own (texts/summary.py). They rank the shares, not the verdicts: "highest share", never "best kept",
        # since the highest share may be judged "ikke nået" against the law while a lower one meets its annual goal.
        enough = view.threshold
        shares = [f for f in result.figures if f.period is None and f.unit == "share" and f.team == own
                  and f.value is not None and f.indicator in result.labels and (f.denominator or 0) >= enough]
        texts = []
        if len(shares) >= 2:
            lowest = min(shares, key=lambda f: (f.value, f.indicator))
            highest = max(shares, key=lambda f: (f.value, f.indicator))
            texts.append(t("Highest share kept among the requirements judged on {count} cases or more: {rule}, "
                           "{share}.",
                           count=enough, rule=_title(t, result, highest.indicator),
                           share=share_text(t, highest, view.threshold)) + _verdict(t, view, highest))
            texts.append(t("Lowest share kept among the requirements judged on {count} cases or more: {rule}, "
                           "{share}.",
                           count=enough, rule=_title(t, result, lowest.indicator),
                           share=share_text(t, lowest, view.threshold)) + _verdict(t, view, lowest))
        overdue = result.figure("investigation_overdue", team=own)
        if overdue is not None:
            if overdue.suppressed:
                texts.append(t("Open investigations past 4 months: {count}.", count=view.words(overdue)))
            elif overdue.value:
                texts.append(t.plural("{count} open investigation is past the 4-month deadline.",
                                      "{count} open investigations are past the 4-month deadline.", overdue.value))
        late, soon = result.figure("overdue_steps", team=own), result.figure("steps_due_soon", team=own)
        if late is not None and soon is not None and own is not None:
            texts.append(_late_text(t, late.value) if late.value else t("No step is past its deadline."))
            texts.append(_soon_text(t, soon.value) if soon.value else t("No step is due in the next 30 days."))
            if late.value or soon.value:
                texts.append(t("The steps are listed below."))
        return texts


def _deadline(t, row) -> str:
    """A step's deadline as "Its weekday and date", or its month where the day is a birthday (``from_birth``)."""
    due = row["due"]
    return t.month(due.year, due.month) if row.get("from_birth") else t.weekday_date(due)


def _closed(t, row) -> str:
    """ " (sagen blev lukket 19.12.2021: afslut skridtet, eller genåbn sagen)" after a step on a closed case."""
    closed = row.get("case_closed_on")
    return " " + t("(the case was closed on {date}: end the step, or reopen the case)", date=t.date(closed)) \
        if closed is not None else ""


def _verdict(t, view, figure) -> str:
    """ " Ikke nået: loven kræver alle frister overholdt." after a sentence naming a judged figure; "" if not judged."""
    words = view.verdict(figure)
    return " " + t("{verdict}.", verdict=words) if words else ""


def _late_text(t, count) -> str:
    return t.plural("{count} step is past its deadline.", "{count} steps are past their deadline.", count)


def _soon_text(t, count) -> str:
    return t.plural("{count} step is due in the next 30 days.", "{count} steps are due in the next 30 days.", count)

# What to do on a step, by the kind of rule (a configured rule of a known kind is said the same way), naming what
# the step is on: the measure and its category, the investigation, the notification.
STEP_TODO = {
    "notification_assessment": N_("assessment of notification {item}"),
    "receipt": N_("receipt to the professional for notification {item}"),
    "investigation": N_("completion of investigation {item}"),
    "plan": N_("plan for placement {item} ({category})"),
    "first_followup": N_("first follow-up on measure {item} ({category})"),
    "recurring_followup": N_("follow-up on measure {item} ({category})"),
    "visits": N_("supervision visit to the child placed in {item} ({category})"),
    "youth_decision": N_("decision on youth support"),  # the rule's step name (rules.toml), as the lists say it
}


def _step(t, table, row) -> str:
    """What to do on a step, on what: "første opfølgning på foranstaltning F-12 (plejefamilie)"."""
    todo = STEP_TODO.get(row.get("kind") or "")
    if todo is None or ("{item}" in todo and not row.get("item")):  # a rule of another kind: its title
        return text_in(t, table.value_labels.get(row["rule"], row["rule"]))
    category = CATEGORY_LABELS.get(row.get("category") or "")
    return t(todo, item=row.get("item") or "", category=text_in(t, category).lower() if category else "–")


def _counted_actions(result, view) -> list[Action]:
    t = view.language
    found = []
    late, soon = result.figure("overdue_steps", team=view.team), result.figure("steps_due_soon", team=view.team)
    if late is not None and late.value:
        found.append(Action(_late_text(t, late.value), PAST_DEADLINE))
    if soon is not None and soon.value:
        found.append(Action(_soon_text(t, soon.value), LATER))
    return found


MATRIX_TEAMS = 8
# A notification rule judges every notification (of a kind) received in the period: those judged plus those
# pending are the period's notifications, a count the notifications indicator gives. Declared once, it holds for
# every period: the committee's protection applies it to each month and span of the series.
NOTIFICATION_RULES = {"notification_24h": None, "receipt_6_workdays": "professional"}


def _notification_relations(rule_ids: list[str]) -> list[Relation]:
    return [Relation(Ref("notifications", category=reporter), (Ref(rule, part="denominator"), Ref(rule, part="pending")))
            for rule, reporter in NOTIFICATION_RULES.items() if rule in rule_ids]


def _matrix(overview: pl.DataFrame, rules, titles, named) -> Table:
    """Rules as rows, the municipality and each team as columns: for directors (teams laid out wide)."""
    wide = overview.with_columns(pl.col("team").fill_null("__all__")).pivot(on="team", index="rule", values="value")
    teams = [c for c in wide.columns if c not in ("rule", "__all__")]
    note = None
    if len(teams) > MATRIX_TEAMS:  # many teams: show those furthest from the law
        means = {team: wide[team].mean() or 0.0 for team in teams}
        teams = sorted(sorted(teams, key=lambda team: means[team])[:MATRIX_TEAMS])
        note = (N_("The {count} teams with the lowest compliance are shown; the others are in the pack's JSON."),
                {"count": MATRIX_TEAMS})
    order = {r.id: i for i, r in enumerate(rules)}
    wide = wide.sort(pl.col("rule").replace_strict(order, return_dtype=pl.Int64))
    columns = (Column("rule", N_("Requirement")), Column("__all__", N_("Whole municipality"), "share")) + tuple(
        Column(team, {"da": team, "en": team}, "share") for team in teams)
    return Table("compliance_matrix", (N_("Share of deadlines met, by team, {period}"), named), wide, columns,
                 level=TEAM,
                 team_column=None, value_labels=titles, note=note)


def _title(t, result, indicator: str) -> str:

    return text_in(t, result.labels.get(indicator, indicator))

LOCAL_LABEL = {"da": "Lokal standard", "en": "Local standard"}


def _basis(rules, period) -> dict[str, str]:
    """The legal basis in force at the end of the period; "LOCAL" (labelled per language) for a local standard."""
    return {rule.id: rule.regime_on(period.end).legal_basis or "LOCAL" for rule in rules}


@hookimpl
def ledinfo_register_sections(register):
    register(ComplianceSection())
