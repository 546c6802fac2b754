"""The desktop application: the only package that imports PySide6."""

from stipa.ui.main_window import MainWindow

__all__ = ["MainWindow"]
