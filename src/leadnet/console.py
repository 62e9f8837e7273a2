"""What a ``leadnet`` command shows on the terminal besides its results (with :mod:`leadnet.cli`, the
only modules that print or exit).

A :class:`~leadnet.errors.LeadnetError` becomes one line on stderr and exit code 1
(:func:`handle_errors`); a :class:`~leadnet.errors.LeadnetWarning` the library raises becomes
a ``warning:`` line on stderr, each distinct one once, printed when the command asks
(:func:`show_warnings`, before its last lines) or as it ends (:class:`Warnings`); progress
lines go to a terminal only (:class:`Progress`). Every line is printed by :func:`say`, which shows a
character that does not show as itself (a direction override that would print the rest of the
line backwards, an ANSI escape that would recolour or move it) as its escape, ``\\u202e``
(:func:`leadnet.invisible.message_text`): a message quotes the files' values.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from leadnet.errors import LeadnetError, LeadnetWarning
from leadnet.invisible import message_text

F = TypeVar("F", bound=Callable[..., Any])


def say(line: str, *, err: bool = False) -> None:
    """Print ``line`` (on stderr with ``err``), each character that does not show as itself escaped.

    >>> say('error: weight "\\u202e4" is not a number\\x1b[2J')
    error: weight "\\u202e4" is not a number\\u001b[2J
    """
    click.echo(message_text(line), err=err)


class Progress:
    """Progress lines on stderr, only for a terminal and without ``--quiet``."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()

    def __call__(self, message: str) -> None:
        if self.enabled:
            say(f"leadnet: {message}", err=True)

    def stage(self, name: str, seconds: float) -> None:
        """Report how long one pipeline stage took."""
        self(f"  {name}: {seconds:.1f} s")


def handle_errors(func: F) -> F:
    """Turn leadnet's errors into one message and exit code 1, and its warnings into ``warning:`` lines."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shown = click.get_current_context().meta[Warnings.KEY] = Warnings()
        try:
            try:
                with warnings.catch_warnings(record=True) as shown.caught:
                    warnings.simplefilter("always", LeadnetWarning)
                    return func(*args, **kwargs)
            finally:  # once recording has stopped: shown, a warning is not recorded again
                shown.show()
        except LeadnetError as exc:
            say(f"error: {exc}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # the reader stopped reading (leadnet validate | head): nothing to fix
            _quiet_stdout()
            sys.exit(1)
        except OSError as exc:  # a folder that cannot be written, a file that vanished, a full disk
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"error: {where}{exc.strerror or exc}; check the path and its permissions", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _quiet_stdout() -> None:
    """Point standard output at the null device, so Python's last flush of a closed pipe, as it
    exits, writes nowhere rather than failing again (Python's ``signal`` documentation, SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor behind it (a test runner's buffer)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Warnings:
    """The warnings a command raised: leadnet's as ``warning:`` lines on stderr, any other as Python
    formats it, each distinct line once (a file read by two sources warns twice), when the command
    asks (:func:`show_warnings`, before its last lines) or as it ends."""

    KEY = "leadnet.warnings"

    def __init__(self) -> None:
        self.caught: list[warnings.WarningMessage] = []
        self.shown: set[str] = set()
        self.count = 0
        """leadnet's warnings shown so far."""

    def show(self) -> int:
        """Print the warnings recorded since the last call, less those printed; return :attr:`count`."""
        pending = self.caught[:]
        del self.caught[: len(pending)]
        for caught in pending:
            ours = issubclass(caught.category, LeadnetWarning)
            line = f"warning: {caught.message}" if ours else _formatted(caught)
            if line not in self.shown:
                self.shown.add(line)
                self.count += ours
                say(line, err=True)
        return self.count


def _formatted(caught: warnings.WarningMessage) -> str:
    message, category = caught.message, caught.category
    return warnings.formatwarning(message, category, caught.filename, caught.lineno).rstrip("\n")


def show_warnings() -> int:
    """Print the running command's warnings so far (:class:`Warnings`); how many of leadnet's in all."""
    shown: Warnings = click.get_current_context().meta[Warnings.KEY]
    return shown.show()
