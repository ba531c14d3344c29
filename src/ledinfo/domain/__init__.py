"""The domain of domain.md as plain functions and data: report periods, the legal rule catalogue,
national reference figures and the indicators over Polars frames. No plugin, rendering or I/O here."""
