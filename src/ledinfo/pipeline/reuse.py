"""Reuse: a build whose inputs did not change is the last build, not a new one. The one place it is decided.

Builds are deterministic, so a build is addressed by a key over everything its packs depend on (the
inputs' fingerprints, the config, the templates, the comments, the plugins, the period, the language, the
ledinfo version — in a checkout installed editable, with its source files' state: :func:`code_version`),
recorded in ``manifest.json``. When the output folder's manifest has the key of the build about to be made and
every file it lists is there with its recorded SHA-256, that build is the answer:
:func:`reused` reports it and nothing is read, computed or rendered. A build with a failed pack records no key
(the failure may pass: the next run builds again).

The key needs the inputs' fingerprints. The pipeline's fingerprint stage asks the source for them cheaply
(:meth:`ledinfo.interfaces.source.Source.fingerprint`), or, for a source without that method, takes those the
source recorded while reading (:mod:`ledinfo.pipeline.build`).

One shortcut comes before the plugins load (importing them costs about half a second that an unchanged rerun
does not need): :func:`unchanged`. When the source's fingerprint said which files its inputs are and which
folders' listings decide what it reads, the manifest records them under ``rerun`` (:func:`stamp`); the next
``ledinfo build`` hashes those files again, compares the listings, makes the key the same way (with the plugin
names and versions the manifest records, when the installed plugins are the ones it records) and asks :func:`reused`. When
anything differs or cannot be told here, the pipeline decides after the plugins load, so this only ever says
"the same" early. This module imports no heavy library (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ledinfo.errors import LedinfoError
from ledinfo.outside.files import COMMENT, DATA, FileRefused, sha256_confined
from ledinfo.pipeline.manifest import MANIFEST, sha256_file
from ledinfo.pipeline.report import BuildReport, PackOutcome
from ledinfo.plugin_host.names import installed_plugins
from ledinfo.privacy.cpr import holds_cpr
from ledinfo.runtime.code import code_version
from ledinfo.runtime.staging import clean_leftovers
from ledinfo.texts.templates import load_template

STAMP = "rerun"  # the manifest's entry :func:`unchanged` reads


def build_key(config, templates: dict, plugins: list[str], period, language: str | None,
              inputs: dict | None) -> str | None:
    """What a build's output depends on, hashed; None without the inputs' fingerprints (an empty set of them
    tells nothing about the data either)."""
    data = data_key(config, plugins, period, language, inputs)
    if data is None:
        return None
    return _hashed({"data": data, "templates": repr(sorted(templates.items())),  # a pack's own template's content
                    "comments": _comments(config.comments, str(period))})  # printed in the packs


def data_key(config, plugins: list[str], period, language: str | None, inputs: dict | None) -> str | None:
    """What every pack of a build depends on — the data, the config (its comments and templates aside), the plugins,
    the period, the language, the ledinfo version — hashed: the key of the figures computed and disclosed
    (:mod:`ledinfo.pipeline.stored`); None without the inputs' fingerprints."""
    if not inputs:
        return None
    return _hashed({
        "ledinfo": code_version(), "period": str(period), "language": language or config.language,
        "inputs": dict(sorted(inputs.items())), "plugins": plugins,
        # everything the config decides, the municipality's name and settings included (not its file's path)
        "config": repr((config.source, config.language, config.municipality, config.standards, config.threshold,
                        config.packs, config.rules, config.mappings, config.plugins, config.outside_data,
                        config.committee)),
    })


def pack_key(data: str | None, template, comments: dict[str, str]) -> str | None:
    """What one pack depends on: the build's ``data`` key, the pack's template, and its own comment files
    (:func:`pack_comments`); None without a data key. A pack whose key is the last build's is kept as it is."""
    return None if data is None else _hashed({"data": data, "template": repr(template), "comments": comments})


def pack_comments(folder: Path | None, period, pack_id: str) -> dict[str, str]:
    """The comment files of ``period`` that reach the pack ``pack_id`` (``udvalg.md``, ``udvalg/budget.md``: the
    layout :mod:`ledinfo.texts.comments` reads), each with its SHA-256 (or why it is refused). Another pack's
    comment, or a file naming no pack, does not reach it (one of another suffix by the pack's name, ``udvalg.pdf``,
    is counted in: it costs a rebuild, never a stale pack)."""
    return {name: sha for name, sha in _comments(folder, str(period)).items()
            if Path(Path(name).parts[0]).stem == pack_id or Path(name).parts[0] == pack_id}


def _hashed(described: dict) -> str:
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _comments(folder: Path | None, period: str) -> dict[str, str]:
    """Each of the period's comment files (:mod:`ledinfo.texts.comments`) with its SHA-256, read as a comment
    is (a pipe, or a link that leads out of the folder, is never read: its refusal is part of the key)."""
    here = Path(folder) / period if folder is not None else None
    if here is None or not here.is_dir():
        return {}
    return {str(path.relative_to(here)): _comment_sha256(path, Path(folder))
            for path in sorted(here.rglob("*")) if not path.is_dir()}


def _comment_sha256(path: Path, folder: Path) -> str:
    try:
        return sha256_confined(path, COMMENT, folder)
    except FileRefused as refused:
        return f"refused: {refused.problem}"


def plugin_versions(registry) -> list[str]:
    """The plugins that provide a source, section or delivery, an installed one with its distribution's version
    (an upgraded plugin may compute otherwise: its figures are not reused; a built-in's is ledinfo's, in the key):
    part of the key (and kept in the manifest)."""
    versions = {name: f"{dist} {version}" for name, _, dist, version in installed_plugins()["entry_points"]}
    return [f"{name} ({versions[name]})" if name in versions else name
            for name in sorted({r.plugin for entries in registry.entries.values() for r in entries.values()})]


@dataclass(frozen=True)
class _Recorded:
    """A reused pack's job, as the manifest records it (before the plugins load there is no PackJob)."""

    pack_id: str
    audience: str | None = None
    team: str | None = None


def reused(out_dir: Path, key: str | None, period, job_of=None) -> BuildReport | None:
    """The build in ``out_dir`` when it has ``key`` and every file it lists is intact; None: build.

    ``job_of(pack_id, team)``: each pack's job (the pipeline gives the plan's; before the plugins load, a record
    of the pack's id, audience and team); None when the manifest names a pack the config no longer has."""
    if key is None:
        return None
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("build_key") != key:
        return None
    outcomes = []
    for entry in manifest.get("packs", []):
        files = [Path(out_dir) / f["name"] for f in entry.get("files", [])]
        if any(not path.is_file() or sha256_file(path) != f["sha256"] for path, f in zip(files, entry["files"])):
            return None  # a file was changed or removed since: build again
        job = (job_of or _record_of(entry))(entry["pack"], entry.get("team"))
        if job is None:
            return None
        outcomes.append(PackOutcome(job, files, entry.get("error")))
    clean_leftovers(Path(out_dir))  # the output folder as a build leaves it: no killed build's folder beside it
    return BuildReport(period, Path(out_dir), outcomes, Path(out_dir) / MANIFEST, reused=True)


def reused_line(report: BuildReport) -> str:
    """The line that says a build was reused."""
    return (f"  unchanged since the last build of {report.period}: its {len(report.outcomes)} pack(s) in "
            f"{report.out_dir} are used as they are")


def _record_of(entry: dict):
    return lambda pack_id, team: _Recorded(pack_id, entry.get("audience"), team)


# --- before the plugins load ---------------------------------------------------------------------------

def stamp(fingerprint, plugins: list[str]) -> dict | None:
    """What the manifest records for :func:`unchanged`: the installed plugins and the plugins in the key,
    and where the source's inputs are (each input's file, each listed folder's names); None when the source's
    fingerprint did not say (its inputs are then told only by the source, after the plugins load)."""
    files = getattr(fingerprint, "files", None)
    if not files or set(files) != set(fingerprint.inputs):
        return None
    try:
        folders = {str(Path(folder)): _listing(Path(folder)) for folder in fingerprint.folders}
    except OSError:
        return None
    return {"installed": installed_plugins(), "plugins": plugins,
            "files": {name: str(Path(path)) for name, path in sorted(files.items())}, "folders": folders}


def _listing(folder: Path) -> list[str]:
    """Every name in the folder: a file added, removed or renamed sends the rerun the pipeline's way. A name that
    holds a CPR number is recorded by its hash (the manifest is an output: an attacker's file "noter
    250463<line break>7933.csv" was listed in it as it was named)."""
    return sorted(name if not holds_cpr(name) else "sha256:" + hashlib.sha256(name.encode("utf-8", "surrogatepass"))
                  .hexdigest() for name in os.listdir(folder))


def unchanged(config, period, language: str | None, out_dir: Path) -> BuildReport | None:
    """The build in ``out_dir`` when, as far as can be told without the plugins, it is this very build with its
    files intact; None: the pipeline decides."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    recorded = manifest.get(STAMP) if isinstance(manifest, dict) else None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict):
        return None
    try:
        if recorded.get("installed") != installed_plugins() or any(
                _listing(Path(folder)) != names for folder, names in (recorded.get("folders") or {}).items()):
            return None
        # each input's file hashed again, opened as data is (never a pipe)
        inputs = {name: sha256_confined(Path(path), DATA) for name, path in recorded["files"].items()}
        templates = {spec.id: load_template(spec.template, spec.audience, config.base_dir) for spec in config.packs}
    except (OSError, LedinfoError):  # the pipeline says what is wrong
        return None
    return reused(out_dir, build_key(config, templates, recorded.get("plugins"), period, language, inputs), period)
