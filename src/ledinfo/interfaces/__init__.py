"""What plugins implement and return: the Source, Section and Delivery interfaces and the typed
section result (figures, tables, charts). Plugins reach these through :mod:`ledinfo.api`."""
