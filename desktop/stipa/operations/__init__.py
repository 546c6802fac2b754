"""The composite edits a user makes, each one transaction (one undo step), without Qt.

The GUI tools, the command line, the pytest fixtures and scripts all call these, so an edit
is written once. One module per area: ``drawing`` (place, connect, move and resize),
``clipboard`` (copy and paste a selection), ``decisions`` (dispositions of findings,
accepting and rejecting suggestions), ``analyses`` (run analyses and apply their results) and
``targets`` (what the ids a finding names mean: names and the elements showing them).
Import from the module: this package's namespace stays empty so areas can be added freely.
"""
