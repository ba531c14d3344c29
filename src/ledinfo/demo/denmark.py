"""All of Denmark as demo data: 98 municipalities, each sized by its population.

For shared-service centres and national bodies, and for the benchmark: one folder
extract per municipality (the demo generator at scale inhabitants / 60,000, each
with its own seed) and a ``ledinfo.toml`` listing them as ``[[municipalities]]``.
Together about 5.9 million inhabitants: ~150,000 notifications a year, ~13,000
placed children, ~45,000 with preventive measures and ~3,500 caseworkers.
Populations are rounded (Danmarks Statistik, 2024); the data is invented.
"""

from __future__ import annotations

from pathlib import Path

from ledinfo.demo import DEFAULT_SEED, INHABITANTS, DemoSpec, generate, write_tables
from ledinfo.language import slug
from ledinfo.model.period import Period

POPULATION = {
    "København": 660_000, "Aarhus": 367_000, "Aalborg": 222_000, "Odense": 207_000, "Vejle": 121_000,
    "Esbjerg": 115_000, "Frederiksberg": 104_000, "Randers": 99_000, "Viborg": 98_000, "Silkeborg": 97_000,
    "Kolding": 95_000, "Horsens": 94_000, "Herning": 90_000, "Roskilde": 90_000, "Næstved": 84_000,
    "Slagelse": 80_000, "Gentofte": 75_000, "Sønderborg": 74_000, "Holbæk": 73_000, "Gladsaxe": 70_000,
    "Skanderborg": 64_000, "Hjørring": 64_000, "Helsingør": 64_000, "Køge": 62_000, "Guldborgsund": 60_000,
    "Frederikshavn": 59_000, "Holstebro": 59_000, "Svendborg": 59_000, "Aabenraa": 59_000, "Rudersdal": 57_000,
    "Haderslev": 56_000, "Lyngby-Taarbæk": 56_000, "Ringkøbing-Skjern": 56_000, "Hvidovre": 54_000,
    "Hillerød": 52_000, "Høje-Taastrup": 52_000, "Faaborg-Midtfyn": 52_000, "Fredericia": 52_000,
    "Mariagerfjord": 42_000, "Nordfyns": 30_000,
    "Greve": 51_000, "Varde": 50_000, "Ballerup": 49_000, "Favrskov": 49_000, "Kalundborg": 49_000,
    "Hedensted": 47_000, "Frederikssund": 46_000, "Skive": 46_000, "Vordingborg": 45_000, "Egedal": 44_000,
    "Syddjurs": 43_000, "Tårnby": 43_000, "Thisted": 43_000, "Vejen": 43_000, "Ikast-Brande": 41_000,
    "Assens": 41_000, "Fredensborg": 41_000, "Lolland": 41_000, "Gribskov": 41_000, "Rødovre": 41_000,
    "Furesø": 41_000, "Bornholm": 39_000, "Middelfart": 39_000, "Jammerbugt": 38_000, "Vesthimmerland": 37_000,
    "Norddjurs": 37_000, "Tønder": 37_000, "Faxe": 37_000, "Ringsted": 36_000, "Brønderslev": 36_000,
    "Brøndby": 35_000, "Odsherred": 33_000, "Nyborg": 32_000, "Halsnæs": 31_000, "Sorø": 30_000,
    "Rebild": 30_000, "Herlev": 29_000, "Lejre": 28_000, "Albertslund": 28_000, "Billund": 27_000,
    "Allerød": 26_000, "Hørsholm": 25_000, "Kerteminde": 24_000, "Solrød": 24_000, "Glostrup": 23_000,
    "Ishøj": 23_000, "Stevns": 23_000, "Odder": 23_000, "Struer": 21_000, "Lemvig": 20_000, "Morsø": 20_000,
    "Vallensbæk": 17_000, "Dragør": 14_000, "Langeland": 12_000, "Ærø": 6_000, "Samsø": 3_700,
    "Fanø": 3_500, "Læsø": 1_800,
}


def municipality_name(name: str) -> str:
    return "Københavns Kommune" if name == "København" else f"{name} Kommune"


def write_denmark(out: Path, period: Period, seed: int | None = None, fmt: str = "parquet",
                  names: list[str] | None = None, echo=None) -> Path:
    """Write each municipality's extract under ``out/<id>/`` and ``out/ledinfo.toml``; return the config.

    ``names``: only these municipalities (default: all 98). Seeds follow the
    national order, so a municipality's data is the same either way.
    """
    echo = echo or (lambda message: None)
    seed = DEFAULT_SEED if seed is None else seed
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for index, (name, inhabitants) in enumerate(POPULATION.items()):
        if names is not None and name not in names:
            continue
        municipality_id = slug(name)
        spec = DemoSpec(period, seed + index, inhabitants / INHABITANTS)
        write_tables(generate(spec), out / municipality_id, fmt)
        echo(f"  {municipality_id}/  ({municipality_name(name)}, scale {spec.scale:.2f})")
        entries.append(
            f'[[municipalities]]\nid = "{municipality_id}"\nname = "{municipality_name(name)}"\n'
            f'inhabitants = {inhabitants}\nsource = {{ type = "folder", path = "{municipality_id}" }}\n')
    config = out / "ledinfo.toml"
    config.write_text("# All of Denmark as demo data (ledinfo demo-data --denmark): one extract per "
                      "municipality.\n# Build every pack of every municipality: ledinfo build --config "
                      f"{config.name}\n\n" + "\n".join(entries), encoding="utf-8")
    return config
