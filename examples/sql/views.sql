-- Views that map the case system's schema (fagsystem.sql) onto ledinfo's extract format.
-- The sql source reads them with `SELECT * FROM ledinfo.<table>` (ledinfo.toml here).
CREATE SCHEMA IF NOT EXISTS ledinfo;

CREATE OR REPLACE VIEW ledinfo.cases AS
SELECT sagsnr AS case_id, barn_pseudo AS child_id, foedselsdato AS birth_date, team_navn AS team,
       sagsbehandler AS caseworker_id,
       CASE maalgruppe WHEN 'U' THEN 'udsatte' WHEN 'H' THEN 'handicap' ELSE maalgruppe END AS target_group,
       oprettet AS opened_on, lukket AS closed_on
FROM fagsystem.sag;   -- cpr_nr is not selected

CREATE OR REPLACE VIEW ledinfo.notifications AS
SELECT underretning_nr AS notification_id, barn_pseudo AS child_id, sagsnr AS case_id, modtaget_af_team AS team,
       modtaget_tid AS received_at,
       CASE underretter WHEN 'Fagperson' THEN 'professional' WHEN 'Privatperson' THEN 'private'
                        WHEN 'Anonym' THEN 'anonymous' ELSE underretter END AS reporter_type,
       akutvurderet_tid AS acute_assessed_at, kvittering_dato AS receipt_sent_on, aarsag AS reason
FROM fagsystem.underretning;

CREATE OR REPLACE VIEW ledinfo.investigations AS
SELECT bfu_nr AS investigation_id, sagsnr AS case_id, startdato AS started_on, slutdato AS completed_on
FROM fagsystem.undersoegelse;

CREATE OR REPLACE VIEW ledinfo.measures AS
SELECT ydelse_nr AS measure_id, sagsnr AS case_id,
       CASE ydelsestype WHEN 'FOREB' THEN 'forebyggende' WHEN 'ANB-NET' THEN 'anbringelse_netvaerk'
                        WHEN 'ANB-PLF' THEN 'anbringelse_plejefamilie' WHEN 'ANB-OPH' THEN 'anbringelse_opholdssted'
                        WHEN 'ANB-DGN' THEN 'anbringelse_doegninstitution'
                        WHEN 'ANB-EGV' THEN 'anbringelse_eget_vaerelse' ELSE ydelsestype END AS category,
       bevilget_dato AS decided_on, start_dato AS started_on, slut_dato AS ended_on, handleplan_dato AS plan_on,
       samtykke AS consent, maanedspris::float8 AS monthly_cost, leverandoer AS provider,
       CASE slutaarsag WHEN 'PLAN' THEN 'planlagt' WHEN 'SAMMENBRUD' THEN 'sammenbrud' WHEN 'FLYT' THEN 'flytning'
                       WHEN 'ALDER' THEN 'alder' WHEN 'ANDET' THEN 'andet' ELSE slutaarsag END AS end_reason
FROM fagsystem.ydelse;

CREATE OR REPLACE VIEW ledinfo.activities AS
SELECT sagsnr AS case_id, dato AS date,
       CASE aktivitetstype WHEN 'OPF' THEN 'opfoelgning' WHEN 'TILSYN' THEN 'tilsynsbesoeg'
                           WHEN 'BSAMT' THEN 'boernesamtale' WHEN 'NETV' THEN 'netvaerksmoede'
                           WHEN 'UPLAN' THEN 'ungeplan' WHEN 'UAFG' THEN 'ungestoette_afgoerelse'
                           WHEN 'LTILSYN' THEN 'ledelsestilsyn' WHEN 'SBSKIFT' THEN 'sagsbehandlerskift'
                           ELSE aktivitetstype END AS kind,
       ydelse_nr AS measure_id, medarbejder AS staff_id, boernesamtale AS child_talk,
       CASE resultat WHEN 'OK' THEN 'ok' WHEN 'AFV' THEN 'afvigelse' END AS result, tema AS theme
FROM fagsystem.aktivitet;

CREATE OR REPLACE VIEW ledinfo.staff AS
SELECT medarbejdernr AS staff_id, navn AS name, team_navn AS team,
       CASE stillingskode WHEN 'SOCRÅD' THEN 'raadgiver' WHEN 'TL' THEN 'teamleder' ELSE 'andet' END AS role,
       round(ugetimer / 37.0, 4)::float8 AS fte, ansat_fra AS start_date, ansat_til AS end_date
FROM fagsystem.medarbejder;

CREATE OR REPLACE VIEW ledinfo.budget AS
SELECT aar AS year, maaned AS month, substring(kontostreng FROM '^(\d\.\d{2}\.\d{2})') AS function_code,
       sum(oprindeligt)::float8 AS budget_original, sum(korrigeret)::float8 AS budget_corrected,
       sum(forbrug)::float8 AS actual, sum(forventet)::float8 AS forecast,
       sum(budget_helaarspersoner)::float8 AS budget_volume   -- the cost centres' full-year persons add up
FROM fagsystem.oekonomi
GROUP BY aar, maaned, substring(kontostreng FROM '^(\d\.\d{2}\.\d{2})');
