"""Entry script of the frozen application: the same as the ``stipa`` command."""

import multiprocessing

if __name__ == "__main__":
    # A child process of the frozen application (an Excel import's reader, see
    # stipa.export.workbook_process) runs this executable again: freeze_support runs the
    # child's work and exits, before any of the application starts.
    multiprocessing.freeze_support()
    from stipa.cli import main

    raise SystemExit(main())
