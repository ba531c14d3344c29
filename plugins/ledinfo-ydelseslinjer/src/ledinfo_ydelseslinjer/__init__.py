"""ledinfo-ydelseslinjer: measures from a case system's service-line export."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from pydantic import Field

from ledinfo.api import OneLineText, RawTable, Settings, Source, hookimpl, parse_numbers, read_folder

COLUMNS = {
    "Ydelses-id": "measure_id", "Sagsnr": "case_id", "Ydelse": "service", "Lovgrundlag": "legal_basis",
    "Funktion": "function", "Bevilget": "decided_on", "Startdato": "started_on", "Slutdato": "ended_on",
    "Handleplan": "plan_on", "Takst": "rate", "Takstenhed": "rate_unit", "Timer pr. uge": "hours_per_week",
    "Leverandør": "provider", "Tvang": "coercion",
}
PER_MONTH = {"døgn": 30.4375, "dag": 30.4375, "uge": 4.348, "måned": 1.0, "md": 1.0}
WEEKS_PER_MONTH = 4.348


def category() -> pl.Expr:
    """The extract format's category from the account function and the service's own name."""
    function, service = pl.col("function").str.strip_chars(), pl.col("service").str.to_lowercase()
    return (pl.when(function == "5.28.21").then(pl.lit("forebyggende"))
            .when((function == "5.28.22") & service.str.contains("netværk")).then(pl.lit("anbringelse_netvaerk"))
            .when(function == "5.28.22").then(pl.lit("anbringelse_plejefamilie"))
            .when((function == "5.28.20") & service.str.contains("eget værelse")).then(pl.lit("anbringelse_eget_vaerelse"))
            .when(function == "5.28.20").then(pl.lit("anbringelse_opholdssted"))
            .when(function.is_in(["5.28.23", "5.28.24"])).then(pl.lit("anbringelse_doegninstitution"))
            .otherwise(function))  # unknown: validation refuses it, with its row


def monthly_cost(frame: pl.DataFrame, decimal_comma: bool) -> pl.Series:
    rate = parse_numbers(frame["rate"].cast(pl.String), decimal_comma)
    hours = parse_numbers(frame["hours_per_week"].cast(pl.String), decimal_comma) \
        if "hours_per_week" in frame.columns else pl.Series([None] * frame.height, dtype=pl.Float64)
    unit = frame["rate_unit"].cast(pl.String).str.strip_chars().str.to_lowercase()
    factor = unit.replace_strict(PER_MONTH, default=None, return_dtype=pl.Float64)
    per_hour = (unit == "time") | (unit == "timer")
    return pl.select(pl.when(per_hour).then(rate * hours * WEEKS_PER_MONTH).otherwise(rate * factor)).to_series()


def measures_from(raw: RawTable) -> RawTable:
    frame = raw.frame.rename({k: v for k, v in COLUMNS.items() if k in raw.frame.columns})
    coercion = frame["coercion"].cast(pl.String).str.to_lowercase() if "coercion" in frame.columns else None
    measures = frame.select(
        "measure_id", "case_id", category().alias("category"), "decided_on", "started_on", "ended_on", "plan_on",
        "legal_basis", "provider").with_columns(monthly_cost(frame, raw.decimal_comma).alias("monthly_cost"))
    if coercion is not None:
        consent = pl.select(pl.when(coercion.is_in(["ja", "j", "yes", "1"])).then(pl.lit("nej"))
                            .when(coercion.is_in(["nej", "n", "no", "0"])).then(pl.lit("ja"))).to_series()
        measures = measures.with_columns(consent.alias("consent"))
    return RawTable("measures", measures, raw.origin, raw.first_row, raw.decimal_comma)


class ServiceLineOptions(Settings):
    """``[source]`` of ``type = "ydelseslinjer"``."""

    path: OneLineText = Field(description="the folder, relative to the config file")
    service_lines: OneLineText = Field("ydelseslinjer.csv", description="the service-line file in the folder")


class ServiceLineSource(Source):
    name = "ydelseslinjer"
    description = "A folder extract whose measures come as a case system's service lines (ydelseslinjer.csv)."
    Options = ServiceLineOptions

    def read(self, options: ServiceLineOptions, context):
        folder = (Path(context.base_dir) / options.path).resolve()
        # the service lines are read as the measures table, then put into its shape
        extract = read_folder(folder, options.path, {"measures": options.service_lines})
        extract.tables["measures"] = measures_from(extract.tables["measures"])
        return extract


@hookimpl
def ledinfo_register_sources(register):
    register(ServiceLineSource())
