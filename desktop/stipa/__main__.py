"""Run Stipa with ``python -m stipa``."""

import multiprocessing

if __name__ == "__main__":  # not when a child process (an Excel import's reader) imports it
    multiprocessing.freeze_support()
    from stipa.cli import main

    raise SystemExit(main())
