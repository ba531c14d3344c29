"""Built-in source ``demo``: the generated demo municipality, Fjordby Kommune."""

from __future__ import annotations

from pydantic import Field

from ledinfo.api import RawExtract, RawTable, Settings, Source, hookimpl, number, whole_number

Seed = whole_number(0, 2**32 - 1)
Scale = number(0, 1000, above=True)


class DemoOptions(Settings):
    """``[source]`` of ``type = "demo"``."""

    seed: Seed | None = Field(None, description="random seed (whole number); the same seed gives the same data")
    scale: Scale = Field(1.0, description="size relative to a municipality of 60,000 inhabitants (100 is about "
                                          "all of Denmark)")


class DemoSource(Source):
    name = "demo"
    description = "The generated demo municipality (Fjordby Kommune); seeded and deterministic."
    Options = DemoOptions

    def read(self, options: DemoOptions, context):
        from ledinfo.api.domain import DEFAULT_SEED, DemoSpec, generate  # deferred: NumPy, only when the demo is read

        spec = DemoSpec(context.period, DEFAULT_SEED if options.seed is None else options.seed, options.scale)
        tables = generate(spec)
        raw = {name: RawTable(name, frame, f"demo:{name}", first_row=1) for name, frame in tables.items()}
        return RawExtract(raw, {"demo": spec.fingerprint()}, spec.describe())

    def fingerprint(self, options, context):
        """The generator's version, seed, scale and period: the same give the same data."""
        from ledinfo.api.domain import DEFAULT_SEED, DemoSpec  # deferred: NumPy, as in read

        spec = DemoSpec(context.period, DEFAULT_SEED if options.seed is None else options.seed, options.scale)
        return {"demo": spec.fingerprint()}


@hookimpl
def ledinfo_register_sources(register):
    register(DemoSource())
