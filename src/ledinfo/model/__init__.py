"""The bottom layer: plain data every stage shares — the period and the working-day calendar, the
audiences, the config's and the plugins' settings types, the typed section result and its verdicts.
It imports nothing of ledinfo but ``errors`` and ``language`` (tests/test_layout.py)."""
