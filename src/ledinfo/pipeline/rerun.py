"""The unchanged rerun, decided before any plugin is loaded.

Loading the plugins imports Polars and the rest of the stack (every built-in section, and any
installed plugin, imports them), about half a second that a rerun with unchanged inputs does
not need. So ``ledinfo build`` first makes the build key (:mod:`ledinfo.pipeline.reuse`) from
what the last build recorded in ``manifest.json`` under ``rerun``, and reuses that build when the
key and every file are unchanged; when anything differs or cannot be told here, the normal path
(plugins loaded, the key made again) decides, so this check only ever says "the same" early:

- the plugins named in the key: taken from the manifest when the installed plugins (names,
  distributions, versions, ``LEDINFO_LOAD_PLUGINS``) are the ones it records;
- the inputs: only for the folder source (without ``files``): the folder's listing must be the one
  recorded and each table file's SHA-256 is computed again; any other source takes the normal path;
- the config and the templates are read again (without the plugins' checks, which this very
  config passed with these very plugins when the build was made).

Only modules that import no heavy library are imported here (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ledinfo import __version__
from ledinfo.errors import LedinfoError
from ledinfo.outside.files import COMMENT, DATA, FileRefused, sha256_confined
from ledinfo.pipeline.manifest import MANIFEST, sha256_file
from ledinfo.pipeline.report import BuildReport, PackOutcome
from ledinfo.plugin_host.names import installed_plugins
from ledinfo.texts.templates import load_template

STAMP = "rerun"  # the manifest's entry this check reads


def key_of(config, templates: dict, plugins: list[str], period, language: str | None,
           inputs: dict | None) -> str | None:
    """What a build's output depends on, hashed (:mod:`ledinfo.pipeline.reuse`); None without the inputs'
    fingerprints. Made here, from its parts, so this check can make it without the plugins."""
    if inputs is None:
        return None
    described = {
        "ledinfo": __version__, "period": str(period), "language": language or config.language,
        "inputs": dict(sorted(inputs.items())), "plugins": plugins,
        # everything the config decides, the municipality's name and settings included (not its file's path)
        "config": repr((config.source, config.language, config.municipality, config.standards, config.threshold,
                        config.packs, config.rules, config.mappings, config.plugins, config.outside_data,
                        config.committee)),
        "templates": repr(sorted(templates.items())),  # a pack's own template file's content
        "comments": _comments(config.comments, str(period)),  # printed in the packs
    }
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


def folder_of(config) -> Path | None:
    """The folder source's folder, when this check can fingerprint it (no ``files`` naming other files)."""
    source = config.source
    if source.get("type") != "folder" or "path" not in source or source.get("files"):
        return None
    return (config.base_dir / source["path"]).resolve()


def listing(folder: Path) -> list[str]:
    """Every name in the folder: a file added, removed or renamed sends the rerun the normal way."""
    return sorted(os.listdir(folder))


def stamp(config, plugins: list[str]) -> dict | None:
    """What the manifest records for this check; None when the inputs are not a folder it can fingerprint."""
    folder = folder_of(config)
    if folder is None:
        return None
    try:
        names = listing(folder)
    except OSError:
        return None
    return {"installed": installed_plugins(), "plugins": plugins, "folder": str(folder), "listing": names}


@dataclass
class _Job:
    """What a reused pack's report needs of its job: its id."""

    pack_id: str


def unchanged(config, period, language: str | None, out_dir: Path) -> BuildReport | None:
    """The build in ``out_dir`` when it is this very build with its files intact; None: take the normal path."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    recorded = manifest.get(STAMP) if isinstance(manifest, dict) else None
    folder = folder_of(config)
    if not isinstance(recorded, dict) or folder is None or recorded.get("folder") != str(folder):
        return None
    try:
        if recorded.get("listing") != listing(folder) or recorded.get("installed") != installed_plugins():
            return None
        inputs = {name: sha256_confined(folder / name, DATA) for name in manifest.get("inputs", {})}  # never a pipe
        templates = {spec.id: load_template(spec.template, spec.audience, config.base_dir) for spec in config.packs}
    except (OSError, LedinfoError):  # the normal path says what is wrong
        return None
    key = key_of(config, templates, recorded.get("plugins"), period, language, inputs)
    if key is None or manifest.get("build_key") != key:
        return None
    outcomes = []
    for entry in manifest.get("packs", []):
        files = [Path(out_dir) / f["name"] for f in entry.get("files", [])]
        if any(not path.is_file() or sha256_file(path) != f["sha256"] for path, f in zip(files, entry["files"])):
            return None  # a file was changed or removed since: build again
        outcomes.append(PackOutcome(_Job(entry["pack"]), files, entry.get("error")))
    return BuildReport(period, Path(out_dir), outcomes, Path(out_dir) / MANIFEST, reused=True)
