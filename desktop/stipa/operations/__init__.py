"""The composite edits a user makes, each one transaction (one undo step), without Qt.

The GUI tools, the command line, the pytest fixtures and scripts all call these, so an edit
is written once. One module per area: ``drawing`` (place, connect, move and resize),
``clipboard`` (copy and paste a selection), ``decisions`` (dispositions of findings,
accepting and rejecting suggestions), ``analyses`` (run analyses and apply their results),
``hierarchy`` (containment: re-parent, delete and move containers); and the queries they
and the views share: ``targets`` (what the ids a finding names mean: names and the elements
showing them) and ``tracing`` (traceability between STPA records, both ways).
Import from the module: this package's namespace stays empty so areas can be added freely.
"""
