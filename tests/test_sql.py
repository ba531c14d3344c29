"""The sql source against a real PostgreSQL server that the tests start themselves.

The demo municipality is loaded into a case system's own schema (examples/sql/fagsystem.sql),
the example views map it onto the extract format, and a build that reads from PostgreSQL
must give exactly the same packs as the same data read from CSV files.
"""

import glob
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import polars as pl
import pytest

from conftest import run_cli
from smtp_server import free_port

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "sql"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL cluster on loopback; yields its URI."""
    bindir = _bindir()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed (scripts/setup-system installs it for `make test`)")
    root = Path(tempfile.mkdtemp(prefix="ledinfo-pg-"))
    os.chmod(root, 0o755)
    as_root = os.geteuid() == 0

    def command(*args):
        return ["runuser", "-u", "postgres", "--", *map(str, args)] if as_root else list(map(str, args))

    if as_root:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = free_port()
    subprocess.run(command(bindir / "initdb", "-D", root / "data", "-A", "trust", "-U", "ledinfo", "--no-sync"),
                   check=True, capture_output=True)
    subprocess.run(command(bindir / "pg_ctl", "-D", root / "data", "-w", "-l", root / "log", "-o",
                           f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"),
                   check=True, capture_output=True)
    try:
        yield f"postgresql://ledinfo@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(command(bindir / "pg_ctl", "-D", root / "data", "-m", "immediate", "stop"), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def psql(uri: str, *args: str) -> None:
    subprocess.run(["psql", uri, "-v", "ON_ERROR_STOP=1", "-q", *args], check=True, capture_output=True, text=True)


CATEGORY = {"forebyggende": "FOREB", "anbringelse_netvaerk": "ANB-NET", "anbringelse_plejefamilie": "ANB-PLF",
            "anbringelse_opholdssted": "ANB-OPH", "anbringelse_doegninstitution": "ANB-DGN",
            "anbringelse_eget_vaerelse": "ANB-EGV"}
END_REASON = {"planlagt": "PLAN", "sammenbrud": "SAMMENBRUD", "flytning": "FLYT", "alder": "ALDER", "andet": "ANDET"}
KIND = {"opfoelgning": "OPF", "tilsynsbesoeg": "TILSYN", "boernesamtale": "BSAMT", "netvaerksmoede": "NETV",
        "ungeplan": "UPLAN", "ungestoette_afgoerelse": "UAFG", "ledelsestilsyn": "LTILSYN",
        "sagsbehandlerskift": "SBSKIFT"}


def as_case_system(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The demo's tables in the case system's own shape (what a real warehouse would hold)."""
    c = pl.col
    return {
        "sag": tables["cases"].select(
            c("case_id").alias("sagsnr"), c("child_id").alias("barn_pseudo"), c("birth_date").alias("foedselsdato"),
            c("team").alias("team_navn"), c("caseworker_id").alias("sagsbehandler"),
            c("target_group").replace({"udsatte": "U", "handicap": "H"}).alias("maalgruppe"),
            c("opened_on").alias("oprettet"), c("closed_on").alias("lukket"),
            pl.lit("010203-1234").alias("cpr_nr")),  # the views never select it
        "underretning": tables["notifications"].select(
            c("notification_id").alias("underretning_nr"), c("child_id").alias("barn_pseudo"),
            c("case_id").alias("sagsnr"), c("team").alias("modtaget_af_team"), c("received_at").alias("modtaget_tid"),
            c("reporter_type").replace({"professional": "Fagperson", "private": "Privatperson",
                                        "anonymous": "Anonym"}).alias("underretter"),
            c("acute_assessed_at").alias("akutvurderet_tid"), c("receipt_sent_on").alias("kvittering_dato"),
            c("reason").alias("aarsag")),
        "undersoegelse": tables["investigations"].select(
            c("investigation_id").alias("bfu_nr"), c("case_id").alias("sagsnr"), c("started_on").alias("startdato"),
            c("completed_on").alias("slutdato")),
        "ydelse": tables["measures"].select(
            c("measure_id").alias("ydelse_nr"), c("case_id").alias("sagsnr"),
            c("category").replace(CATEGORY).alias("ydelsestype"), c("decided_on").alias("bevilget_dato"),
            c("started_on").alias("start_dato"), c("ended_on").alias("slut_dato"),
            c("plan_on").alias("handleplan_dato"), c("consent").alias("samtykke"),
            c("monthly_cost").alias("maanedspris"), c("provider").alias("leverandoer"),
            c("end_reason").replace(END_REASON).alias("slutaarsag")),
        "aktivitet": tables["activities"].select(
            c("case_id").alias("sagsnr"), c("date").alias("dato"), c("kind").replace(KIND).alias("aktivitetstype"),
            c("measure_id").alias("ydelse_nr"), c("staff_id").alias("medarbejder"),
            c("child_talk").alias("boernesamtale"), c("result").replace({"ok": "OK", "afvigelse": "AFV"})
            .alias("resultat"), c("theme").alias("tema")),
        "medarbejder": tables["staff"].select(
            c("staff_id").alias("medarbejdernr"), c("name").alias("navn"), c("team").alias("team_navn"),
            c("role").replace({"raadgiver": "SOCRÅD", "teamleder": "TL", "andet": "ADM"}).alias("stillingskode"),
            (c("fte") * 37).round(2).alias("ugetimer"), c("start_date").alias("ansat_fra"),
            c("end_date").alias("ansat_til")),
        "oekonomi": tables["budget"].select(
            c("year").alias("aar"), c("month").alias("maaned"), (c("function_code") + ".001-4711").alias("kontostreng"),
            c("budget_original").alias("oprindeligt"), c("budget_corrected").alias("korrigeret"),
            c("actual").alias("forbrug"), c("forecast").alias("forventet"),
            c("budget_volume").alias("budget_helaarspersoner")),
    }


def load(uri: str, tables: dict[str, pl.DataFrame], workdir: Path) -> None:
    psql(uri, "-f", str(EXAMPLE / "fagsystem.sql"))
    psql(uri, "-f", str(EXAMPLE / "views.sql"))
    for name, frame in as_case_system(tables).items():
        path = workdir / f"{name}.csv"
        frame.write_csv(path, datetime_format="%Y-%m-%d %H:%M:%S")
        columns = ", ".join(frame.columns)
        psql(uri, "-c", f"\\copy fagsystem.{name} ({columns}) FROM '{path}' WITH (FORMAT csv, HEADER true)")


def pack_jsons(config_path: Path, registry, period_text: str) -> dict[str, dict]:
    """Each pack's JSON as ``ledinfo build --config config_path`` writes it, made by the build's own stages (load,
    compute, disclose, texts, JSON) without drawing a chart or a PDF: by pack file name."""
    from ledinfo.config.file import load_config
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import compute, language_for, outside_data, prepare
    from ledinfo.pipeline.build import load as load_stage
    from ledinfo.pipeline.plan import plan
    from ledinfo.render.json_out import render_json
    from ledinfo.texts.content import plan_jobs

    config, period = load_config(config_path, registry), Period.parse(period_text)
    planned = plan(config, registry)
    extract = load_stage(planned, period)
    computed = compute(planned, extract, period, outside_data(period, extract, config))
    language = language_for(config.language, registry)
    return {f"{job.pack_id}.json": json.loads(render_json(prepare(planned, computed, job, language, period)))
            for job in plan_jobs(config, extract.teams())}


@pytest.mark.slow
def test_a_build_from_postgresql_equals_the_build_from_csv(postgres, tmp_path, registry):
    """The packs built from PostgreSQL are those the same data read from CSV files gives. The CSV side's packs are
    made by the build's stages up to the JSON, without charts and PDFs (``pack_jsons``): the JSON is compared, and
    a second whole build cost about 4 s of CPU more."""
    from ledinfo.demo import DemoSpec, generate, write_tables
    from ledinfo.model.period import Period

    tables = generate(DemoSpec(Period(2026, 10), seed=11, scale=0.3))
    write_tables(tables, tmp_path / "csv")
    load(postgres, tables, tmp_path)
    config = tmp_path / "sql.toml"
    config.write_text((EXAMPLE / "ledinfo.toml").read_text(encoding="utf-8"), encoding="utf-8")
    # without worker processes: the build's own process reads the source (workers only render), and workers give
    # the same packs (test_scale); they cost about 1.8 s of CPU a build
    from_sql = run_cli("build", "--config", str(config), "--period", "2026-10", "--out", str(tmp_path / "sql-out"),
                       "--jobs", "1", env={"LEDINFO_DATABASE_URI": postgres})
    assert from_sql.returncode == 0, from_sql.stderr
    folder_config = tmp_path / "csv.toml"
    folder_config.write_text(config.read_text().split("[source]")[0] + '[source]\ntype = "folder"\npath = "csv"\n')
    from_csv = pack_jsons(folder_config, registry, "2026-10")
    packs = sorted(p.name for p in (tmp_path / "sql-out").glob("*.json") if p.name != "manifest.json")
    assert len(packs) == 7 and packs == sorted(from_csv)
    for name in packs:
        assert json.loads((tmp_path / "sql-out" / name).read_text()) == from_csv[name], name
    manifest = json.loads((tmp_path / "sql-out" / "manifest.json").read_text())
    assert "sql:cases" in manifest["inputs"] and manifest["source"]["type"] == "sql"


def test_bad_rows_from_the_database_are_located(postgres, tmp_path):
    psql(postgres, "-c", "CREATE SCHEMA IF NOT EXISTS broken; DROP TABLE IF EXISTS broken.cases; "
                         "CREATE TABLE broken.cases AS SELECT 'S1'::text AS case_id, 'B1'::text AS child_id, "
                         "DATE '2012-01-01' AS birth_date, 'Børn'::text AS team, 'M1'::text AS caseworker_id, "
                         "'udsat'::text AS target_group, DATE '2024-02-01' AS opened_on, DATE '2024-01-01' AS closed_on")
    config = tmp_path / "ledinfo.toml"
    config.write_text('[municipality]\nname = "Testby Kommune"\n'
        '[source]\ntype = "sql"\nuri_env = "DB"\n[source.queries]\ncases = "SELECT * FROM broken.cases"\n')
    result = run_cli("validate", "--config", str(config), "--period", "2024-03", env={"DB": postgres})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "query for cases, row 1, column target_group: unknown value 'udsat'" in result.stderr
    assert "query for cases, row 1, column closed_on" in result.stderr and "is before opened_on" in result.stderr
    config.write_text('[municipality]\nname = "Testby Kommune"\n'
        '[source]\ntype = "sql"\nuri_env = "DB"\n[source.queries]\ncases = "SELECT * FROM nowhere"\n')
    result = run_cli("validate", "--config", str(config), "--period", "2024-03", env={"DB": postgres})
    assert result.returncode == 2 and "the query for table 'cases' failed" in result.stderr
    result = run_cli("validate", "--config", str(config), "--period", "2024-03", env={"DB": ""})
    assert result.returncode == 2 and "environment variable DB" in result.stderr


def _views_without_rows(uri: str) -> None:
    """One case, and a notifications table with its columns and no rows (as a view filtering everything out)."""
    psql(uri, "-c", "CREATE SCHEMA IF NOT EXISTS tom; DROP TABLE IF EXISTS tom.cases, tom.notifications; "
                    "CREATE TABLE tom.cases AS SELECT 'S1'::text AS case_id, 'B1'::text AS child_id, "
                    "DATE '2012-01-01' AS birth_date, 'Børn'::text AS team, 'M1'::text AS caseworker_id, "
                    "'udsatte'::text AS target_group, DATE '2024-02-01' AS opened_on, NULL::date AS closed_on; "
                    "CREATE TABLE tom.notifications (notification_id text, child_id text, case_id text, team text, "
                    "received_at timestamp, reporter_type text, acute_assessed_at timestamp, receipt_sent_on date)")


def _empty_views_config(path: Path, cases: str = "SELECT * FROM tom.cases") -> Path:
    path.write_text('[municipality]\nname = "Testby Kommune"\n[source]\ntype = "sql"\nuri_env = "DB"\n'
                    'extracted_on = 2024-04-02\n[source.queries]\n'
                    f'cases = "{cases}"\nnotifications = "SELECT * FROM tom.notifications"\n', encoding="utf-8")
    return path


def test_a_view_without_rows_is_left_out_and_cases_without_rows_refused(postgres, tmp_path):
    """Issue 22: views returning no rows validated, even for cases, and an empty notifications view failed
    the packs ("relation … has no parts")."""
    _views_without_rows(postgres)
    checked = run_cli("validate", "--config", str(_empty_views_config(tmp_path / "a.toml")), env={"DB": postgres})
    assert checked.returncode == 0, checked.stderr
    assert "notifications            0 rows: left out as if absent" in checked.stdout
    config = _empty_views_config(tmp_path / "b.toml", "SELECT * FROM tom.cases WHERE false")
    refused = run_cli("validate", "--config", str(config), env={"DB": postgres})
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "query for cases: the table 'cases' has no rows" in refused.stderr


@pytest.mark.slow
def test_a_build_from_views_without_rows_says_which(postgres, tmp_path):
    """The data end the day before [source] extracted_on (2024-04-02), so March builds from one case opened
    in February; the notifications section is left out, saying its table has no rows."""
    _views_without_rows(postgres)
    built = run_cli("build", "--config", str(_empty_views_config(tmp_path / "a.toml")), "--period", "2024-03",
                    "--out", str(tmp_path / "out"), "--jobs", "1", env={"DB": postgres})
    assert built.returncode == 0, built.stderr
    director = json.loads((tmp_path / "out" / "direktion.json").read_text(encoding="utf-8"))
    assert {"section": "Underretninger", "reason": "udtrækkets oplysninger om underretningerne er tomme"} \
        in director["omitted"]
