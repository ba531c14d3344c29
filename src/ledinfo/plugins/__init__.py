"""Built-in plugins. Each module implements ledinfo hooks exactly like an
external plugin; :data:`ledinfo.loader.BUILTIN_PLUGINS` lists them."""
