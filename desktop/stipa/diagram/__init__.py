"""Diagram geometry without Qt: automatic layout and its quality metrics."""
