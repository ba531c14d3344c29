"""The extract format v1 as data: tables, columns, kinds, categories, keys, references.

This module is the single statement of the format; validation, the Polars
schemas, the documentation tables and the demo generator all read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ledinfo.language import N_

# Column kinds and the Polars type a validated column has.
POLARS_TYPES: dict[str, pl.DataType] = {
    "id": pl.String(),
    "text": pl.String(),
    "category": pl.String(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
}

MEASURE_CATEGORIES = (
    "forebyggende",
    "anbringelse_netvaerk",
    "anbringelse_plejefamilie",
    "anbringelse_opholdssted",
    "anbringelse_doegninstitution",
    "anbringelse_eget_vaerelse",
)
REPORTER_TYPES = ("professional", "private", "anonymous")
# Why a measure ended (optional ``measures.end_reason``, domain.md "Effect and money").
END_REASONS = ("planlagt", "sammenbrud", "flytning", "alder", "andet")
ACTIVITY_KINDS = (
    "opfoelgning",
    "tilsynsbesoeg",
    "boernesamtale",
    "netvaerksmoede",
    "ungeplan",
    "ungestoette_afgoerelse",
    "ledelsestilsyn",
    "sagsbehandlerskift",
)
# Bounds on amounts (DKK), far beyond any real value but small enough that sums and shares stay
# finite and readable: a municipality's whole yearly spend on these functions is about 150 m DKK
# (the largest a few billion), and a secure institution costs some 200,000 DKK a month.
MAX_BUDGET_AMOUNT = 10_000_000_000  # one function, one month; negative for corrections and refunds
MAX_MONTHLY_COST = 10_000_000  # one measure, one month
MAX_BUDGET_VOLUME = 1_000_000  # budgeted full-year persons of one function and month; Denmark has some 60,000
# A person's name: a letter first, then letters, spaces, hyphens, apostrophes, dots; never a digit (no CPR
# number, phone number or id hides in it) and no @ (no e-mail address); at most 100 characters.
NAME_PATTERN = r"^[^\W\d_][^\d@]{0,99}$"
MAX_TEAM_NAME = 100  # characters; a team's name names its pack files (pack id + "-" + the name's slug)

BUDGET_FUNCTIONS = {
    "5.28.20": "Opholdssteder mv. for børn og unge",
    "5.28.21": "Forebyggende foranstaltninger for børn og unge",
    "5.28.22": "Plejefamilier",
    "5.28.23": "Døgninstitutioner for børn og unge",
    "5.28.24": "Sikrede døgninstitutioner for børn og unge",
    "5.28.25": "Særlige dagtilbud og særlige klubber",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True  # the column must be present
    nullable: bool = False  # an empty value is allowed
    categories: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    references: tuple[str, str] | None = None  # (table, column) the value must exist in
    pattern: str | None = None  # regular expression a text value must match
    default: object = None  # value used when an optional column is absent
    description: str = ""
    free_text: bool = False  # a note: tab and line breaks allowed (other control characters never are)
    amount: bool = False  # DKK: any number here is an amount, never a CPR number (its range is checked)
    only_with: str | None = None  # a value only where this column of the row has one (an end reason needs an end)
    personal: bool = False  # personal data (a name): a message about a value never shows it

    @property
    def dtype(self) -> pl.DataType:
        return POLARS_TYPES[self.kind]


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns whose values identify a row
    ordered: tuple[tuple[str, str], ...] = ()  # (earlier, later) column pairs
    drop: tuple[str, ...] = ()  # columns removed at load (personal data)
    extra_key: tuple[str, ...] = field(default=())  # optional columns that extend the key when present

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def polars_schema(self) -> pl.Schema:
        """The Polars schema of the validated table (all known columns)."""
        return pl.Schema({c.name: c.dtype for c in self.columns})


_CASES = TableSpec(
    "cases",
    "One row per child's case (sag).",
    (
        Column("case_id", "id", description="internal case number, never a CPR number"),
        Column("child_id", "id", description="pseudonymous child id"),
        Column("birth_date", "date", description="used for age rules only; never printed"),
        Column("team", "text"),
        Column("caseworker_id", "id", nullable=True, description="current caseworker, a staff_id"),
        Column("target_group", "category", categories=("udsatte", "handicap")),
        Column("opened_on", "date"),
        Column("closed_on", "date", nullable=True, description="empty while open"),
        Column("district", "text", required=False, nullable=True),
        Column("weight", "int", required=False, nullable=True, minimum=1, maximum=3, default=1,
               description="case weight (sagstyngde) 1-3"),
    ),
    key=("case_id",),
    ordered=(("opened_on", "closed_on"),),
    drop=("cpr",),
)

_NOTIFICATIONS = TableSpec(
    "notifications",
    "Notifications of concern (underretninger).",
    (
        Column("notification_id", "id"),
        Column("child_id", "id"),
        Column("case_id", "id", nullable=True, references=("cases", "case_id")),
        Column("team", "text"),
        Column("received_at", "datetime"),
        Column("reporter_type", "category", categories=REPORTER_TYPES),
        Column("acute_assessed_at", "datetime", nullable=True, description="empty = not yet"),
        Column("receipt_sent_on", "date", nullable=True, description="empty = not sent"),
        Column("reason", "text", required=False, nullable=True, free_text=True),
    ),
    key=("notification_id",),
    ordered=(("received_at", "acute_assessed_at"), ("received_at", "receipt_sent_on")),
    drop=("cpr",),
)

_INVESTIGATIONS = TableSpec(
    "investigations",
    "Child-professional investigations (børnefaglige undersøgelser).",
    (
        Column("investigation_id", "id"),
        Column("case_id", "id", references=("cases", "case_id")),
        Column("started_on", "date"),
        Column("completed_on", "date", nullable=True),
    ),
    key=("investigation_id",),
    ordered=(("started_on", "completed_on"),),
    drop=("cpr",),
)

_MEASURES = TableSpec(
    "measures",
    "Measures (foranstaltninger): preventive support and placements.",
    (
        Column("measure_id", "id"),
        Column("case_id", "id", references=("cases", "case_id")),
        Column("category", "category", categories=MEASURE_CATEGORIES),
        Column("decided_on", "date"),
        Column("started_on", "date"),
        Column("ended_on", "date", nullable=True),
        Column("plan_on", "date", nullable=True, description="date of the plan; empty = none"),
        Column("legal_basis", "text", required=False, nullable=True, free_text=True),
        Column("consent", "bool", required=False, nullable=True),
        Column("monthly_cost", "float", required=False, nullable=True, minimum=0, maximum=MAX_MONTHLY_COST,
               description="DKK a month", amount=True),
        Column("provider", "text", required=False, nullable=True, free_text=True),
        Column("end_reason", "category", required=False, nullable=True, categories=END_REASONS, only_with="ended_on",
               description="why the measure ended; empty while it runs"),
    ),
    key=("measure_id",),
    ordered=(("started_on", "ended_on"),),
    drop=("cpr",),
)

_ACTIVITIES = TableSpec(
    "activities",
    "Dated steps on a case.",
    (
        Column("case_id", "id", references=("cases", "case_id")),
        Column("date", "date"),
        Column("kind", "category", categories=ACTIVITY_KINDS),
        Column("measure_id", "id", required=False, nullable=True, references=("measures", "measure_id")),
        Column("staff_id", "id", required=False, nullable=True),
        Column("child_talk", "bool", required=False, nullable=True),
        Column("result", "category", required=False, nullable=True, categories=("ok", "afvigelse")),
        Column("theme", "text", required=False, nullable=True, free_text=True),
    ),
    drop=("cpr",),
)

_STAFF = TableSpec(
    "staff",
    "Staff from HR/payroll: one row per employment period.",
    (
        Column("staff_id", "id"),
        Column("team", "text"),
        Column("role", "category", categories=("raadgiver", "teamleder", "andet")),
        Column("fte", "float", minimum=0, maximum=1),
        Column("start_date", "date"),
        Column("end_date", "date", nullable=True, description="empty while employed"),
        Column("name", "text", required=False, nullable=True, pattern=NAME_PATTERN, personal=True,
               description="the person's name, shown beside the staff id in team-leader packs only"),
    ),
    # A person may have several employment periods (a rehire, a move to another team):
    # one row each, which must not overlap.
    key=("staff_id", "start_date"),
    ordered=(("start_date", "end_date"),),
    drop=("cpr",),
)

_BUDGET = TableSpec(
    "budget",
    "Budget and spend per month and account function, from finance.",
    (
        Column("year", "int", minimum=1990, maximum=2100),
        Column("month", "int", minimum=1, maximum=12),
        Column("function_code", "text", pattern=r"^\d\.\d{2}\.\d{2}$",
               description="account function, e.g. 5.28.21"),
        Column("budget_original", "float", minimum=-MAX_BUDGET_AMOUNT, maximum=MAX_BUDGET_AMOUNT, amount=True),
        Column("budget_corrected", "float", minimum=-MAX_BUDGET_AMOUNT, maximum=MAX_BUDGET_AMOUNT, amount=True),
        Column("actual", "float", minimum=-MAX_BUDGET_AMOUNT, maximum=MAX_BUDGET_AMOUNT, amount=True),
        Column("cost_center", "text", required=False, nullable=True),
        Column("forecast", "float", required=False, nullable=True, minimum=-MAX_BUDGET_AMOUNT,
               maximum=MAX_BUDGET_AMOUNT, amount=True),
        Column("budget_volume", "float", required=False, nullable=True, minimum=0, maximum=MAX_BUDGET_VOLUME,
               description="budgeted full-year persons (helårspersoner) for the function and month"),
    ),
    key=("year", "month", "function_code"),
    extra_key=("cost_center",),
)

# What each table holds, in words for a reader who does not know the extract (the committee, directors): "udtrækket
# har ingen oplysninger om personalet", where a team leader reads the table's name ("mangler tabellen staff")
TABLE_WORDS = {"cases": N_("the cases"), "notifications": N_("the notifications"),
               "investigations": N_("the investigations"), "measures": N_("the measures"),
               "activities": N_("the steps taken on the cases"), "staff": N_("the staff"), "budget": N_("the budget")}

SCHEMA: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (_CASES, _NOTIFICATIONS, _INVESTIGATIONS, _MEASURES, _ACTIVITIES, _STAFF, _BUDGET)
}
