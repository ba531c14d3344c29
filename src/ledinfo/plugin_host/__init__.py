"""The plugin host: the pluggy manager that loads built-in and installed plugins, the registry
that checks what they register (and remembers who gave what), and plugin settings."""
