"""Entry script of the frozen application: the same as the ``stipa`` command."""

from stipa.cli import main

raise SystemExit(main())
