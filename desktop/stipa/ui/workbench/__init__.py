"""The STPA workbench: the ``dock.stpa`` tables edited beside the diagram and traced both ways."""
