"""The configuration: the TOML file, checked whole, every problem at once with its key path."""
