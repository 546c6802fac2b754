"""Run Stipa with ``python -m stipa``."""

from stipa.cli import main

raise SystemExit(main())
