"""The secretary's loop (issue 27): a changed comment or template writes again exactly the packs it reaches, from the
figures the last build computed and disclosed, and the output is the one a full build gives, byte for byte."""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow  # whole command-line builds of the small extract, several per test

PERIOD = "2024-03"
TEMPLATES = Path(__file__).parents[1] / "src" / "ledinfo" / "texts" / "templates_toml"


def config_for(folder: Path, data: Path) -> Path:
    """Every kind of pack, each with a template of its own in ``folder``, and a comments folder."""
    for name in ("committee", "director"):
        shutil.copyfile(TEMPLATES / f"{name}.toml", folder / f"{name}.toml")
    config = folder / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Testby Kommune"\n\n[source]\ntype = "folder"\npath = "{data}"\n\n'
                      '[comments]\nfolder = "comments"\n\n'
                      '[[packs]]\nid = "udvalg"\naudience = "committee"\ntemplate = "committee.toml"\n\n'
                      '[[packs]]\nid = "direktion"\naudience = "director"\ntemplate = "director.toml"\n\n'
                      '[[packs]]\nid = "team"\naudience = "team_leader"\n', encoding="utf-8")
    (folder / "comments" / PERIOD).mkdir(parents=True)
    return config


def build(config: Path, out: Path, *extra) -> tuple[list[str], set[str], dict]:
    """One ``ledinfo build``: the packs it wrote, the packs it kept, and its timings."""
    timings = out.parent / "timings.json"
    result = run_cli("build", "--config", str(config), "--period", PERIOD, "--out", str(out), "--jobs", "1",
                     "--timings", str(timings), *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    written = [line.split(".pdf")[0] for line in lines if line.endswith(".json") and ": " not in line]
    kept = {line.split(":")[0] for line in lines if ": unchanged (" in line}
    return written, kept, json.loads(timings.read_text(encoding="utf-8"))


def same_as_a_full_build(config: Path, out: Path) -> None:
    """Every file of ``out`` equals a full build's of the same inputs into a fresh folder (no stored figures)."""
    full = out.parent / "full"
    shutil.rmtree(full, ignore_errors=True)
    written, kept, _ = build(config, full)
    assert not kept
    names = sorted(p.name for p in full.iterdir())
    assert names == sorted(p.name for p in out.iterdir())
    different = [name for name in names if (full / name).read_bytes() != (out / name).read_bytes()]
    assert not different, different


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The first build, made once a module: its folder (the extract, the config, its templates and comments, the
    packs in ``out``), a copy of it and of the figures it stored, and the packs it wrote. The store is named by the
    output folder's absolute path (stored.path_of), so each test gets the build back in the same folder."""
    from ledinfo.api.small_extract import write_small_extract
    from ledinfo.pipeline import stored

    root = tmp_path_factory.mktemp("pack-reuse")
    folder, saved = root / "build", root / "saved"
    folder.mkdir()
    write_small_extract(folder / "extract")
    config = config_for(folder, folder / "extract")
    written, kept, _ = build(config, folder / "out")
    assert "udvalg" in written and "direktion" in written and not kept
    shutil.copytree(folder, saved / "build", symlinks=True)
    shutil.copytree(stored.path_of(folder / "out"), saved / "store", symlinks=True)
    return folder, saved, written


@pytest.fixture
def first(first_build):
    """This test's first build, as the build left it (made once a module: ``first_build``, about 0.6 s of CPU a
    test less): the config, the output folder and the packs written."""
    from ledinfo.pipeline import stored

    folder, saved, written = first_build
    store = stored.path_of(folder / "out")
    for path, copy in ((folder, saved / "build"), (store, saved / "store")):
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(copy, path, symlinks=True)  # modes and times kept: the store is private, as it was written
    return folder / "ledinfo.toml", folder / "out", written


def test_a_changed_comment_writes_only_its_pack_without_reading_the_data(first):
    config, out, packs = first
    comment = config.parent / "comments" / PERIOD / "udvalg.md"
    comment.write_text("# Forvaltningens vurdering\n\nSagstallet er faldet.\n", encoding="utf-8")
    inode = (out / "direktion.pdf").stat().st_ino
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and kept == set(packs) - {"udvalg"}
    assert "compute" not in timings["seconds"] and timings["counts"]["charts"] == 0  # stored figures, drawings
    assert (out / "direktion.pdf").stat().st_ino == inode  # the kept file itself, linked into the new build
    assert "Sagstallet er faldet." in json.dumps(json.loads((out / "udvalg.json").read_text(encoding="utf-8")),
                                                 ensure_ascii=False)
    same_as_a_full_build(config, out)


def test_a_section_comment_of_a_team_pack_writes_only_that_pack(first):
    config, out, packs = first
    team = next(p for p in packs if p.startswith("team-"))
    section = json.loads((out / f"{team}.json").read_text(encoding="utf-8"))["sections"][0]["id"]
    comment = config.parent / "comments" / PERIOD / team / f"{section}.md"
    comment.parent.mkdir()
    comment.write_text("Teamet har fået to nye rådgivere.\n", encoding="utf-8")
    written, kept, timings = build(config, out)
    assert written == [team] and kept == set(packs) - {team} and "compute" not in timings["seconds"]
    same_as_a_full_build(config, out)


def test_a_changed_template_writes_only_its_pack(first):
    config, out, packs = first
    template = config.parent / "director.toml"
    template.write_text(template.read_text(encoding="utf-8").replace("summary_points = 5", "summary_points = 3"),
                        encoding="utf-8")
    written, kept, timings = build(config, out)
    assert written == ["direktion"] and kept == set(packs) - {"direktion"}
    assert "compute" not in timings["seconds"]  # its figures disclosed again from the stored computed ones
    same_as_a_full_build(config, out)


def test_the_committee_packs_changed_summary_is_written_from_its_stored_decision(first):
    """A template's words (the summary's length) do not change what the pack discloses: the committee's stored
    decision across the series is used as it is, and the pack is the one a full build writes."""
    config, out, packs = first
    template = config.parent / "committee.toml"
    template.write_text(template.read_text(encoding="utf-8").replace("summary_points = 5", "summary_points = 3"),
                        encoding="utf-8")
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and kept == set(packs) - {"udvalg"} and "compute" not in timings["seconds"]
    same_as_a_full_build(config, out)


def show_fewer_figures(config: Path) -> None:
    """The committee's template shows one figure fewer: what its pack discloses, across the series, changes."""
    template = config.parent / "committee.toml"
    text = template.read_text(encoding="utf-8")
    assert '"placements_reference", "preventive_reference"]' in text
    template.write_text(text.replace('"placements_reference", "preventive_reference"]', '"placements_reference"]'),
                        encoding="utf-8")


def test_the_committee_packs_changed_choice_is_decided_again_over_its_stored_series(first):
    """A template that shows other figures changes the committee's protection across the series: it is decided
    again from the series' figures the last build stored, as a full build decides it; the other packs are kept."""
    config, out, packs = first
    show_fewer_figures(config)
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and kept == set(packs) - {"udvalg"} and "compute" not in timings["seconds"]
    same_as_a_full_build(config, out)


def test_without_its_stored_series_the_committee_pack_reads_the_data(first):
    """No stored series (or one of other data: tests/test_stored.py): the data is read and computed again."""
    from ledinfo.pipeline import stored

    config, out, packs = first
    (stored.path_of(out) / stored.SERIES).unlink()
    show_fewer_figures(config)
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and kept == set(packs) - {"udvalg"} and "compute" in timings["seconds"]
    assert (stored.path_of(out) / stored.SERIES).is_file()  # stored again, from what was computed
    same_as_a_full_build(config, out)


def test_changed_data_writes_every_pack(first):
    config, out, packs = first
    cases = config.parent / "extract" / "cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    written, kept, timings = build(config, out)
    assert sorted(written) == sorted(packs) and not kept and "compute" in timings["seconds"]


def test_a_comment_with_a_cpr_number_fails_its_pack_on_stored_figures_too(first):
    """A comment is outside input: checked on every build, the stored figures' too; the other packs are kept."""
    config, out, packs = first
    comment = config.parent / "comments" / PERIOD / "udvalg.md"
    comment.write_text("Sagen om barnet 010203-1234 er lukket.\n", encoding="utf-8")
    result = run_cli("build", "--config", str(config), "--period", PERIOD, "--out", str(out), "--jobs", "1")
    assert result.returncode == 1
    assert "udvalg: FAILED" in result.stdout and "CPR" in result.stdout and "010203" not in result.stdout
    assert "direktion: unchanged" in result.stdout and not (out / "udvalg.pdf").exists()
    comment.write_text("Sagen er lukket.\n", encoding="utf-8")
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and "compute" not in timings["seconds"]
    same_as_a_full_build(config, out)


def test_stored_figures_others_can_write_are_not_read(first):
    """A store is a pickle: read only from a folder and a file no one else may write."""
    from ledinfo.pipeline import stored

    config, out, packs = first
    path = stored.path_of(out)
    os.chmod(path, 0o777)  # anyone may write the folder
    (config.parent / "comments" / PERIOD / "udvalg.md").write_text("Ny tekst.\n", encoding="utf-8")
    written, kept, timings = build(config, out)
    assert written == ["udvalg"] and "compute" in timings["seconds"]  # read and computed, the others still kept
    assert not os.stat(path).st_mode & 0o077  # and stored again, private


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_packs_written_while_others_are_made_are_the_packs_written_at_the_end(tmp_path, small_dir, monkeypatch, jobs):
    """A build renders and writes its packs once PACKS_AHEAD are waiting (a large municipality's hundreds of team
    packs are not all held): the same files, byte for byte, and the same lines in job order, as when every pack
    is made first and written at the end — in a worker pool and without one."""
    import ledinfo.pipeline.build as pipeline

    config = config_for(tmp_path, small_dir)
    monkeypatch.setattr(pipeline, "PACKS_AHEAD", 10_000)
    at_the_end = build(config, tmp_path / "end", "--jobs", jobs)[0]
    monkeypatch.setattr(pipeline, "PACKS_AHEAD", 2)
    meanwhile = build(config, tmp_path / "meanwhile", "--jobs", jobs)[0]
    assert len(at_the_end) > 2 and meanwhile == at_the_end
    names = sorted(p.name for p in (tmp_path / "end").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "meanwhile").iterdir())
    different = [n for n in names if n != "manifest.json"
                 and (tmp_path / "end" / n).read_bytes() != (tmp_path / "meanwhile" / n).read_bytes()]
    assert not different, different
