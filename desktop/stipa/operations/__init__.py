"""Edits of a document that take more than one model call, shared by the GUI, CLI and scripts."""
