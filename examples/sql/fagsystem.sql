-- A case system's own schema, as a municipality's data warehouse might hold it: Danish
-- names, its own codes, hours instead of FTE. ledinfo never reads these tables directly;
-- the views in views.sql map them onto the extract format (docs/extract-format.md).
CREATE SCHEMA IF NOT EXISTS fagsystem;

CREATE TABLE fagsystem.sag (
    sagsnr        text PRIMARY KEY,
    barn_pseudo   text NOT NULL,
    foedselsdato  date NOT NULL,
    team_navn     text NOT NULL,
    sagsbehandler text,
    maalgruppe    text NOT NULL,   -- 'U' udsatte, 'H' handicap
    oprettet      date NOT NULL,
    lukket        date,
    cpr_nr        text             -- never selected by the views
);

CREATE TABLE fagsystem.underretning (
    underretning_nr   text PRIMARY KEY,
    barn_pseudo       text NOT NULL,
    sagsnr            text,
    modtaget_af_team  text NOT NULL,
    modtaget_tid      timestamp NOT NULL,
    underretter       text NOT NULL,   -- 'Fagperson' | 'Privatperson' | 'Anonym'
    akutvurderet_tid  timestamp,
    kvittering_dato   date,
    aarsag            text
);

CREATE TABLE fagsystem.undersoegelse (
    bfu_nr     text PRIMARY KEY,
    sagsnr     text NOT NULL,
    startdato  date NOT NULL,
    slutdato   date
);

CREATE TABLE fagsystem.ydelse (
    ydelse_nr        text PRIMARY KEY,
    sagsnr           text NOT NULL,
    ydelsestype      text NOT NULL,   -- 'FOREB', 'ANB-NET', 'ANB-PLF', 'ANB-OPH', 'ANB-DGN', 'ANB-EGV'
    bevilget_dato    date NOT NULL,
    start_dato       date NOT NULL,
    slut_dato        date,
    handleplan_dato  date,
    samtykke         boolean,
    maanedspris      numeric(12, 2),
    leverandoer      text,
    slutaarsag       text              -- 'PLAN' planned, 'SAMMENBRUD' breakdown, 'FLYT' moved away, 'ALDER' aged out, 'ANDET'
);

CREATE TABLE fagsystem.aktivitet (
    sagsnr          text NOT NULL,
    dato            date NOT NULL,
    aktivitetstype  text NOT NULL,    -- 'OPF', 'TILSYN', 'BSAMT', 'NETV', 'UPLAN', 'UAFG', 'LTILSYN', 'SBSKIFT'
    ydelse_nr       text,
    medarbejder     text,
    boernesamtale   boolean,
    resultat        text,             -- 'OK' | 'AFV'
    tema            text
);

CREATE TABLE fagsystem.medarbejder (   -- one row per employment period: a change of team is a new row
    medarbejdernr   text NOT NULL,
    navn            text,             -- the caseworker's name: team leaders' packs only
    team_navn       text NOT NULL,
    stillingskode   text NOT NULL,    -- 'SOCRÅD' caseworker, 'TL' team leader, others
    ugetimer        numeric(5, 2) NOT NULL,   -- hours a week; 37 is full time
    ansat_fra       date NOT NULL,
    ansat_til       date,
    PRIMARY KEY (medarbejdernr, ansat_fra)
);

CREATE TABLE fagsystem.oekonomi (
    aar         integer NOT NULL,
    maaned      integer NOT NULL,
    kontostreng text NOT NULL,        -- e.g. '5.28.21.001-4711': function, then the cost centre
    oprindeligt numeric(14, 2) NOT NULL,
    korrigeret  numeric(14, 2) NOT NULL,
    forbrug     numeric(14, 2) NOT NULL,
    forventet   numeric(14, 2),
    budget_helaarspersoner numeric(10, 2)   -- budgeted full-year persons (mængde × pris budgets); empty if none
);
