"""Indicators of domain.md as plain functions over Polars frames.

No rendering here: each function takes validated tables and dates and returns
frames or figures, so each rule is tested with a small hand-made table and an
answer worked out by hand.
"""
