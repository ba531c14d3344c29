"""Built-in source ``demo``: the generated demo municipality, Fjordby Kommune."""

from __future__ import annotations

from ledinfo.api import ConfigError, RawExtract, RawTable, Source, hookimpl


class DemoSource(Source):
    name = "demo"
    description = "The generated demo municipality (Fjordby Kommune); seeded and deterministic."
    options = {
        "seed": "random seed (whole number); the same seed gives the same data",
        "scale": "size relative to a municipality of 60,000 inhabitants (100 is about all of Denmark)",
    }

    def read(self, options, context):
        from ledinfo.api.domain import DEFAULT_SEED, DemoSpec, generate  # deferred: NumPy, only when the demo is read

        seed, scale = options.get("seed", DEFAULT_SEED), options.get("scale", 1.0)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ConfigError(f"source.seed must be a whole number, got {seed!r}")
        if not isinstance(scale, (int, float)) or isinstance(scale, bool) or scale <= 0:
            raise ConfigError(f"source.scale must be a positive number, got {scale!r}")
        spec = DemoSpec(context.period, seed, float(scale))
        tables = generate(spec)
        raw = {name: RawTable(name, frame, f"demo:{name}", first_row=1) for name, frame in tables.items()}
        return RawExtract(raw, {"demo": spec.fingerprint()}, spec.describe())

    def fingerprint(self, options, context):
        """The generator's version, seed, scale and period: the same give the same data."""
        from ledinfo.api.domain import DEFAULT_SEED, DemoSpec  # deferred: NumPy, as in read

        spec = DemoSpec(context.period, options.get("seed", DEFAULT_SEED), float(options.get("scale", 1.0)))
        return {"demo": spec.fingerprint()}


@hookimpl
def ledinfo_register_sources(register):
    register(DemoSource())
