"""Delivery: ``ledinfo run`` sends the built packs through the configured delivery plugin and
records each in the ledger."""
