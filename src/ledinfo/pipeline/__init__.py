"""The pipeline: plan → load → compute → prepare each pack → render → publish, in one place
(:mod:`ledinfo.pipeline.build`); rerun and reuse of an earlier build, several municipalities, the manifest."""
