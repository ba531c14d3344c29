"""The pipeline: plan → load → compute → prepare each pack → render → publish, in one place
(:mod:`ledinfo.pipeline.build`), with the worker processes, pack templates and the staged output."""
