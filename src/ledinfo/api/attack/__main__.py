"""``python -m ledinfo.api.attack``: attack the committee series of an extract folder, or of generated demo
municipalities, and print the counts (exit code 1 when a hidden number can be worked out).

    python -m ledinfo.api.attack --data extract --periods 2024-01..2024-06
    python -m ledinfo.api.attack --scale 0.1 --scale 0.4 --seed 1 --seed 2 --periods 2024-01..2024-06
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ledinfo.api.attack.run import attack_folder, attack_municipalities
from ledinfo.errors import LedinfoError


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An extract folder (as `ledinfo build --data` reads it); without it, demo municipalities.")
@click.option("--periods", default="2024-01..2024-06", show_default=True, metavar="RANGE",
              help="The series: FIRST..LAST month (every month, quarter and year to date between), or periods "
                   "separated by commas.")
@click.option("--packs", type=int, default=None, help="Attack this many periods of the series, sampled (default: all).")
@click.option("--sample-seed", type=int, default=None,
              help="The sample's seed (default: LEDINFO_ATTACK_SEED, else a new one, printed).")
@click.option("--scale", "scales", type=float, multiple=True, help="Demo municipality scale (repeatable; default 0.1).")
@click.option("--seed", "seeds", type=int, multiple=True, help="Demo municipality seed (repeatable; default 1).")
@click.option("--examples", type=int, default=8, show_default=True, help="Findings to print per mode.")
def main(data_dir, periods, packs, sample_seed, scales, seeds, examples):
    """Can a committee member work out a hidden number from the committee packs, each alone or as a series?"""
    # each pack says which tables and charts the committee does not get: known, and not what is asked here
    logging.getLogger("ledinfo.disclosure").setLevel(logging.ERROR)

    try:
        if data_dir is not None:
            report = attack_folder(data_dir, periods, packs, sample_seed)
        else:
            report = attack_municipalities(scales=scales or (0.1,), seeds=seeds or (1,), periods=periods, packs=packs,
                                           seed=sample_seed)
    except LedinfoError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(report.text(examples))
    sys.exit(1 if report.failures() else 0)


if __name__ == "__main__":
    main()
