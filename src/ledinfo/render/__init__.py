"""Rendering: section results (already filtered for the audience) to PDF and JSON."""
