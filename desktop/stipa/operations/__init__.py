"""The composite edits a user makes, one transaction each, for the GUI, the CLI and scripts."""
