"""Built-in plugins. Each module implements ledinfo hooks exactly like an
external plugin; :data:`ledinfo.plugin_host.manager.BUILTIN_PLUGINS` lists them."""
