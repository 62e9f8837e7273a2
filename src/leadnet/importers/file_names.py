"""The names a project's input files go by in its messages, ``rejected.csv`` and provenance.

Every file is named as :meth:`~leadnet.config.Config.name_of` names it: its path relative to the
project folder when it lies inside it (``a/survey.csv`` and ``b/survey.csv`` told apart), else as
written in ``leadnet.toml`` or on the command line (``../hr/roster.csv``). The table importers are
given that name and use it in every problem they raise; the e-mail importer names each file of a log
by its own name (no two files of one log may share one), and :func:`import_named` gives its problems
the names the files go by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from leadnet.config import Config, SourceSection
from leadnet.errors import InputError
from leadnet.importers.result import TieImport
from leadnet.paths import named_issues


def source_files(source: SourceSection) -> list[Path]:
    """The files a source reads: its own, and an e-mail export's recipients file."""
    second = source.recipients_path
    return [source.path, *([] if second is None else [second])]


def job_names(sources: Sequence[SourceSection], config: Config) -> dict[str, str]:
    """Each file's own name → the name it goes by, for the files of ``sources`` (one e-mail log, which
    may hold no two files of one name; a name two of them share is left as it is, as the e-mail
    importer's refusal of them names it, never taken for one of them).

    >>> from leadnet.config import Config, SourceSection
    >>> config = Config(root=Path("/p"))
    >>> job = [SourceSection("email", Path("/p/a/m.csv")), SourceSection("email", Path("/p/b/m.csv")),
    ...        SourceSection("email", Path("/p/b/n.csv"))]
    >>> job_names(job, config)
    {'n.csv': 'b/n.csv'}
    """
    names: dict[str, set[str]] = {}
    for path in (path for source in sources for path in source_files(source)):
        names.setdefault(path.name, set()).add(config.name_of(path))
    return {own: named.pop() for own, named in names.items() if len(named) == 1}


def import_named(result: TieImport, names: Mapping[str, str]) -> TieImport:
    """``result`` with its problems and the headers it read naming each file by the name it goes by
    (``names``: :func:`job_names`).

    >>> from leadnet.errors import RowIssue
    >>> from leadnet.model import InputRecord
    >>> import pandas as pd
    >>> read = TieImport(pd.DataFrame(), (), InputRecord("/p/b/m.csv", "email", "", 1, 0, 1),
    ...                  (RowIssue("m.csv", 2, "missing-from", "no sender"),))
    >>> print(import_named(read, {"m.csv": "b/m.csv"}).issues[0])
    b/m.csv line 2: no sender [missing-from]
    """
    if all(own == named for own, named in names.items()):
        return result
    issues = tuple(replace(issue, file=names.get(issue.file, issue.file)) for issue in result.issues)
    read_as = tuple((names.get(file, file), header, role) for file, header, role in result.headers_read)
    return replace(result, issues=issues, headers_read=read_as)


def error_named(error: InputError, names: Mapping[str, str]) -> InputError:
    """``error`` with its problems, and the lines of its message that begin with a file's own name,
    naming the file by the name it goes by (``names``: :func:`job_names`)."""
    if all(own == named for own, named in names.items()):
        return error
    return named_issues(error, names)
