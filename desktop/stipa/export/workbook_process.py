"""Reading an Excel workbook in a separate process, so its parsing never holds a window's GIL.

A window reads a workbook in a worker thread, but a Python thread shares the interpreter
lock with the GUI thread: openpyxl's long phases (opening the workbook, its shared strings,
its styles) held it, and the window stopped answering for up to two seconds on a big
workbook. :class:`ReadInProcess` runs :func:`~stipa.export.workbook.read_workbook` in a child
process instead and hands on what it reads, as plain data, to
:func:`~stipa.export.workbook.plan_import` in the calling thread.

The child is started with "spawn", never "fork" (forking a process that runs Qt copies its
threads' locks in whatever state they are), and imports only this module and what it needs
(openpyxl and Stipa's Qt-free core), never Qt. A frozen application must call
``multiprocessing.freeze_support()`` first thing, or the child starts a second application.
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from stipa.export.workbook import (
    DEFAULT_LIMITS,
    ImportCancelled,
    ImportLimits,
    Piece,
    Refusal,
    read_workbook,
)

__all__ = ["POLL_S", "ReadInProcess", "ReadingFailed"]

#: How often the reading side looks at ``cancelled`` while it waits for the child (seconds).
POLL_S = 0.05
#: How long a child asked to stop may take before it is killed (seconds).
_STOP_S = 1.0


@dataclass(frozen=True, slots=True)
class _Progress:
    """From the child: rows read so far, and about how many there are."""

    done: int
    expected: int


@dataclass(frozen=True, slots=True)
class _Failed:
    """From the child: reading raised (a bug); the exception and the child's traceback."""

    error: str
    details: str


class ReadingFailed(Exception):
    """Reading raised in the child: a bug. The message is the child's exception; the
    child's traceback is a note of it."""


class ReadInProcess:
    """Reads a workbook as :func:`~stipa.export.workbook.read_workbook` does, in a child process.

    Called with the arguments of ``read_workbook``, it starts the child and gives the pieces
    the child sends as they arrive (rows in batches of a few hundred), calling ``progress``
    as the child reports it. When ``cancelled()`` says so (looked at every :data:`POLL_S`
    while waiting), or the generator is closed before the end, the child is terminated at
    once. A child that dies (killed, out of memory) gives a
    :class:`~stipa.export.workbook.Refusal` saying so; one whose reading raised makes this
    raise :class:`ReadingFailed`. ``pid`` is the child's process id once started.
    """

    def __init__(self) -> None:
        self.process: BaseProcess | None = None
        self.pid: int | None = None

    def __call__(
        self,
        path: Path,
        limits: ImportLimits = DEFAULT_LIMITS,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Generator[Piece, None, None]:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_read_and_send,
            args=(sender, Path(path), limits),
            name=f"stipa read {Path(path).name}",
            daemon=True,  # ended with the application
        )
        try:
            process.start()
        finally:
            sender.close()  # the child holds its own end: EOF here once the child is gone
        self.process, self.pid = process, process.pid
        try:
            while True:
                if cancelled is not None and cancelled():
                    raise ImportCancelled
                if not receiver.poll(POLL_S):
                    continue
                try:
                    message = receiver.recv()
                except EOFError:
                    yield Refusal(_ended(Path(path), process))
                    return
                if message is None:  # all read: let it end by itself
                    process.join(_STOP_S)
                    return
                if isinstance(message, _Progress):
                    if progress is not None:
                        progress(message.done, message.expected)
                elif isinstance(message, _Failed):
                    failed = ReadingFailed(message.error)
                    failed.add_note(f"In the process reading {Path(path).name}:\n{message.details}")
                    raise failed
                else:
                    yield message
        finally:
            receiver.close()
            _stop(process)


def _read_and_send(sender: Connection, path: Path, limits: ImportLimits) -> None:
    """The child's work: send each piece read, then None (or what went wrong)."""

    def progress(done: int, expected: int) -> None:
        sender.send(_Progress(done, expected))

    try:
        for piece in read_workbook(path, limits, progress):
            sender.send(piece)
    except Exception as error:  # a bug: the window reports it
        sender.send(_Failed(str(error) or type(error).__name__, traceback.format_exc()))
    else:
        sender.send(None)
    finally:
        sender.close()


def _ended(path: Path, process: BaseProcess) -> str:
    """Why the child ended before it was done, in a sentence."""
    process.join(_STOP_S)
    code = process.exitcode
    if code is None:
        how = "it stopped answering"
    elif code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:  # a signal Python has no name for
            how = f"killed by signal {-code}"
    else:
        how = f"exit code {code}"
    return (
        f"The process reading {path.name} ended unexpectedly ({how}); import it again, or "
        "import the sheets in smaller workbooks."
    )


def _stop(process: BaseProcess) -> None:
    """End the child if it still runs (terminated, killed if it does not stop), and reap it."""
    if process.is_alive():
        process.terminate()
        process.join(_STOP_S)
    if process.is_alive():
        process.kill()
    process.join()
