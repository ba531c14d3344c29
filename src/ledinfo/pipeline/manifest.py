"""``manifest.json``: what a build wrote, so a municipality can prove what it sent.

One writer for both kinds: a municipality's (the period, the input fingerprints,
the config's hash, every pack and file with its SHA-256) and a shared-service
centre's (each municipality and the hash of its own manifest). Both are redacted
(:func:`ledinfo.disclosure.guard.redacted`), read back by the guard, and written atomically.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ledinfo import __version__
from ledinfo.runtime.staging import MANIFEST


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write atomically, so a crash never leaves half a file with the right name."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def write_manifest(out_dir: Path, content: dict) -> Path:
    """Write ``content`` (with the ledinfo version first) as ``out_dir/manifest.json``."""
    from ledinfo.disclosure.guard import (  # deferred: the guard imports Polars; reading a manifest does not
        check_manifest,
        redacted,
    )

    path = out_dir / MANIFEST
    data = (json.dumps(redacted({"ledinfo_version": __version__, **content}), ensure_ascii=False, indent=2)
            + "\n").encode("utf-8")
    check_manifest(data, MANIFEST)  # the guard reads every file it writes, this one too
    write_atomically(path, data)
    return path


def packs_manifest(period, extract, config, outcomes, build_key: str | None = None) -> dict:
    """One municipality's build: the period, its inputs and every pack with its files; ``build_key``
    addresses the build, so an unchanged rerun can reuse it (:mod:`ledinfo.pipeline.reuse`)."""
    config_entry = None
    if config.path is not None and Path(config.path).exists():
        config_entry = {"file": Path(config.path).name, "sha256": sha256_file(Path(config.path))}
    return {
        "period": str(period),
        "as_of": period.end.isoformat(),
        "source": {"type": config.source.get("type"), "description": extract.description},
        "inputs": dict(sorted(extract.fingerprints.items())),
        "config": config_entry,
        "build_key": build_key,
        "packs": [{
            "pack": o.job.pack_id,
            "audience": o.job.audience,
            "team": o.job.team,
            "status": "ok" if o.ok else "failed",
            **({"error": o.error} if o.error else {}),
            # a committee pack without the administration's comment, and the questions for it (ledinfo comments)
            **({"draft": o.draft, "prompts": o.prompts} if o.draft or o.prompts else {}),
            # what the pack was made from: the next build keeps a pack whose key it has (ledinfo.pipeline.reuse)
            **({"key": o.key} if o.key and o.ok else {}),
            "files": [{"name": p.name, "sha256": sha256_file(p), "bytes": p.stat().st_size} for p in o.files],
        } for o in outcomes],
    }


def municipalities_manifest(period, outcomes) -> dict:
    """A shared-service centre's build: each municipality, its status and its own manifest's SHA-256."""
    entries = []
    for outcome in outcomes:
        entry: dict = {"id": outcome.spec.id, "name": outcome.spec.municipality.name,
                       "status": "ok" if outcome.ok else "failed"}
        if outcome.error:
            entry["error"] = outcome.error
        if outcome.report:
            manifest = outcome.report.manifest
            entry["manifest"] = {"name": f"{outcome.spec.id}/{manifest.name}", "sha256": sha256_file(manifest)}
            entry["packs"] = sum(1 for o in outcome.report.outcomes if o.ok)
            entry["failed_packs"] = [o.job.pack_id for o in outcome.report.failed]
        entries.append(entry)
    return {"period": str(period), "municipalities": entries}
