"""A rerun with unchanged inputs reuses the last build instead of making it again.

``ledinfo run`` is run again after a failed delivery; the same extract, config, period,
language and ledinfo version give the same packs (builds are deterministic), so the build is
addressed by a key over all of them and recorded in ``manifest.json``. When the output folder's
manifest has the same key and every file it lists is there with its recorded SHA-256, the
build is reused: nothing is read, computed or rendered. The key needs the source's cheap
fingerprint (:meth:`~ledinfo.interfaces.source.Source.fingerprint`: the folder source hashes
its files, the demo names its seed); a source that cannot give one is always read and built.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ledinfo.interfaces.source import Source, SourceContext, checked_source
from ledinfo.model.period import Period
from ledinfo.pipeline.manifest import MANIFEST, sha256_file
from ledinfo.pipeline.rerun import key_of
from ledinfo.texts.content import PackJob

log = logging.getLogger("ledinfo.pipeline.reuse")


def _source(plan):
    return plan.registry.source(plan.config.source.get("type", ""))


def key_before_reading(plan, period: Period, language: str | None, out_dir: Path) -> str | None:
    """The key of the build about to be made, from the source's cheap fingerprint; None when there is
    no earlier build in ``out_dir`` to reuse (so no input is hashed for nothing) or the source cannot tell."""
    if not (Path(out_dir) / MANIFEST).is_file():
        return None
    config = plan.config
    try:
        source, options = checked_source(config.source, plan.registry)
        inputs = source.fingerprint(options, SourceContext(config.base_dir, period))
    except Exception as error:  # the build will say what is wrong; reuse is only a shortcut
        log.debug("no reuse: %s", error)
        return None
    return build_key(plan, period, language, inputs)


def key_of_read(plan, period: Period, language: str | None, extract) -> str | None:
    """The key recorded in the manifest: from the fingerprints the source recorded while reading (the same
    its cheap fingerprint gives), so the inputs are not hashed twice; None for a source without one."""
    if type(_source(plan)).fingerprint is Source.fingerprint:
        return None
    return build_key(plan, period, language, extract.fingerprints)


def build_key(plan, period: Period, language: str | None, inputs: dict | None) -> str | None:
    """What a build's output depends on, hashed; None without the inputs' fingerprints."""
    return key_of(plan.config, plan.templates, plugin_names(plan.registry), period, language, inputs)


def plugin_names(registry) -> list[str]:
    """The plugins that provide a source, section or delivery: part of the key (and kept in the manifest)."""
    return sorted({r.plugin for entries in registry.entries.values() for r in entries.values()})


def reusable(plan, key: str | None, out_dir: Path) -> list[tuple[PackJob, list[Path], str | None]] | None:
    """The packs of the build in ``out_dir`` if it has ``key`` and every file is intact; else None."""
    if key is None:
        return None
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("build_key") != key:
        return None
    specs = {spec.id: spec for spec in plan.config.packs}
    packs = []
    for entry in manifest.get("packs", []):
        files = [Path(out_dir) / f["name"] for f in entry.get("files", [])]
        if any(not path.is_file() or sha256_file(path) != f["sha256"] for path, f in zip(files, entry["files"])):
            return None  # a file was changed or removed since: build again
        spec = next((s for s in specs.values() if entry["pack"] == s.id or (
            entry.get("team") is not None and entry["pack"].startswith(f"{s.id}-"))), None)
        if spec is None:
            return None
        packs.append((PackJob(entry["pack"], spec, entry.get("team")), files, entry.get("error")))
    return packs
