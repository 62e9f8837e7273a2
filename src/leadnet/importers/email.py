"""Email metadata (kind = "email") → ties: headers only, streamed, aggregated in DuckDB.

Formats: an mbox file, a folder of ``.eml`` files, a CSV/TSV or Parquet export (one row
per message, one row per recipient, or a messages file plus a recipients file) and a
JSON export shaped like the Microsoft Graph message list (see
:mod:`leadnet.importers.email_exports`). Bodies and attachments are never read; subjects
are never kept. Every message (mbox, eml, JSON, per-message CSV) or row (per-recipient
CSV) ends accepted, accepted after a counted normalisation, or quarantined with its
line and a stable code (:mod:`leadnet.importers.headers`).

Pipeline: stage the messages (:mod:`leadnet.importers.email_stage`; mbox/eml: parsed
message by message in Python and written in batches to a Parquet file; CSV/Parquet/JSON:
read by DuckDB, one-row-per-message files read once, in parallel,
:mod:`leadnet.importers.email_scan`) → resolve addresses
(:mod:`leadnet.importers.email_identity`): those spelled as on the roster in SQL, each
*distinct* other one once in Python (:func:`~leadnet.importers.headers.classify`) →
apply the tie rules in SQL
(:mod:`leadnet.importers.aggregate`). Memory holds one header block, one batch of events
and the distinct addresses; DuckDB works in a temporary on-disk database under a
memory limit, so memory stays flat as the log grows.

Addresses outside ``internal_domains`` are ``external``: dropped (counted
``external-address``) or, with ``external = "pool"``, kept as one node ``external``.
Internal addresses not on the roster are dropped (``unknown-address``); unparseable
ones (``invalid-address``, e.g. ``alice@riverside.example@evil.example``) too. A CSV or
Parquet export with no column map is read by its headers, letter case aside; each header
read as a role's name in another letter case is counted (``header-normalised``) and kept
in :attr:`~leadnet.importers.result.TieImport.headers_read`, as a table's.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from leadnet.errors import InputError, RowIssue
from leadnet.importers import email_identity
from leadnet.importers.aggregate import Aggregate, aggregate
from leadnet.importers.email_emptied import rule_changes
from leadnet.importers.email_read import (
    WRONG_TYPE_FIXES,
    ExportLayout,
    Staged,
    is_parquet,
)
from leadnet.importers.email_sql import PERIOD_DROPS, TieRules
from leadnet.importers.email_stage import EmailFile, stage_files
from leadnet.importers.identity import Resolver
from leadnet.importers.mbox import (
    looks_like_mbox,
)
from leadnet.importers.result import RuleEmptied, TieImport, add_counts, period_counts
from leadnet.importers.table_files import check_magic, fail, not_found
from leadnet.model import InputRecord, normalise_ties
from leadnet.schema import EMAIL_FORMATS as FORMATS

PERSON_COUNT_COLUMNS = ("person_id", "messages_sent", "messages_received")


@dataclass(frozen=True, eq=False)
class PeriodTies:
    """Ties, per-person message counts and counted normalisations of one dated period (``2001-03``
    or ``2001-Q1``): the drops of the tie rules in the period its own
    (:data:`~leadnet.importers.email_sql.PERIOD_DROPS`), the others its file's."""

    period: str
    ties: pd.DataFrame
    person_counts: pd.DataFrame
    normalisations: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class EmailImport(TieImport):
    """A :class:`TieImport` from email, plus per-person counts, every file read and periods.

    ``person_counts`` has person_id, messages_sent, messages_received (accepted, deduped
    messages in the window, broadcasts included). ``records`` has one InputRecord per file
    (two for a messages + recipients export); ``record`` is the first. ``by_period`` is
    filled when ``snapshot_by`` is given.
    """

    person_counts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(PERSON_COUNT_COLUMNS))
    )
    records: tuple[InputRecord, ...] = ()
    by_period: Mapping[str, PeriodTies] = field(default_factory=dict)
    rules: TieRules = field(default_factory=TieRules)


def detect_format(path: Path) -> str:
    """``mbox``, ``eml``, ``csv`` or ``json`` from the path (a folder is ``eml``)."""
    if path.is_dir():
        return "eml"
    suffix = path.suffix.lower()
    if _parquet_file(path):
        return "parquet"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    if suffix in (".mbox", ".mbx") or looks_like_mbox(path):
        return "mbox"
    return "csv"


def _sha256(path: Path) -> str:
    if path.is_dir():
        digest = hashlib.sha256()
        for item in sorted(p for p in path.rglob("*.eml") if p.is_file()):
            digest.update(item.relative_to(path).as_posix().encode() + b"\0" + _sha256(item).encode())
        return digest.hexdigest()
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _connect(folder: Path, memory_limit: str, threads: int) -> Any:
    con = duckdb.connect(str(folder / "events.duckdb"))
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET temp_directory = '{folder / 'spill'}'")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    return con


UNREADABLE = {
    "csv": ("unreadable-csv", 'open the file in a spreadsheet and save it again as "CSV UTF-8"'),
    "parquet": ("bad-parquet", "export the file again; it is not a complete Parquet file"),
    "json": ("bad-json", "export the messages again; the file is not complete JSON"),
}
"""Code and fix, by format, of an export the database engine cannot read at all."""


def _parquet_file(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq") or is_parquet(path)


def _check_path(path: Path, file_format: str | None) -> str:
    if not path.is_file() and not path.is_dir():  # a folder holds .eml files
        raise not_found(path)
    chosen = file_format or detect_format(path)
    if chosen not in FORMATS:
        raise InputError(f'{path.name}: format must be one of {", ".join(FORMATS)}. Got "{chosen}" instead.')
    if path.is_file() and path.stat().st_size == 0:
        raise InputError.from_issues([RowIssue(path.name, None, "empty-file", "file is empty (0 bytes)")])
    if chosen in ("mbox", "json"):  # a CSV export is checked as its header is read
        expected = "an mbox mailbox" if chosen == "mbox" else "JSON text"
        check_magic(path.name, path, expected=expected, fixes=WRONG_TYPE_FIXES)
    return chosen


def load_email(
    path: Path | Sequence[EmailFile],
    resolver: Resolver,
    *,
    file_format: str | None = None,
    layout: ExportLayout | None = None,
    internal_domains: Collection[str] = (),
    rules: TieRules | None = None,
    external: str = "drop",
    relation: str = "email",
    snapshot_by: str | None = None,
    engine: str = "embedded",
    progress: Callable[[int], None] | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> EmailImport:
    """Read an email log and aggregate it to ties (see the module docstring).

    ``path`` is one file (read with ``file_format`` and ``layout``) or several
    :class:`EmailFile` of one log (e.g. each mailbox's export): their messages are
    staged one file after another and the tie rules run over all of them at once, so a
    Message-ID in two files counts once (the copy in the earlier file is kept), as one
    repeated in a file does.

    ``memory_limit`` and ``threads`` bound DuckDB (defaults: 64MB and 1 thread for
    mbox/eml, whose parsing is Python-bound; 512MB and one thread per CPU for
    CSV/JSON/Parquet). Beyond the limit DuckDB spills to the temporary folder.
    ``progress`` is called with the number of messages read, every 1,000 (mbox/eml).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text("sender;recipient;timestamp\\n"
    ...     "a@x.org;b@x.org;2024-01-02T10:00Z\\n"
    ...     "a@x.org;b@x.org;2024-01-03T10:00Z\\nb@x.org;out@y.org;2024-01-03T11:00Z\\n", encoding="utf-8")
    >>> people = pd.DataFrame({"person_id": ["1", "2"], "email": ["a@x.org", "b@x.org"]})
    >>> result = load_email(folder / "log.csv", Resolver(people), internal_domains=["x.org"],
    ...     layout=ExportLayout({"sender": "sender", "recipient": "recipient", "timestamp": "timestamp"}))
    >>> result.ties[["source", "target", "weight", "count"]].values.tolist()
    [['1', '2', 2.0, 2]]
    >>> result.person_counts.values.tolist(), result.normalisations
    ([['1', 2, 0], ['2', 1, 2]], {'external-address': 1})
    """
    files = _email_files(path, file_format, layout)
    chosen = [_check_path(f.path, f.file_format) for f in files]
    if external not in ("drop", "pool"):
        raise InputError(f'external must be "drop" or "pool". Got "{external}" instead.')
    rules = rules or TieRules()
    staged = Staged()
    with tempfile.TemporaryDirectory(prefix="leadnet-email-") as tmp:
        folder = Path(tmp)
        con = _connect(folder, *_limits(chosen, memory_limit, threads))
        try:
            codes = email_identity.register_known(con, resolver, internal_domains)
            stage_files(con, files, chosen, folder, staged, progress)
            resolved = _resolved(con, resolver, internal_domains, external == "pool", codes, files, staged)
            # cut into periods, the rules run by period once; the whole window is summed from them
            ran = email_identity.decode(aggregate(con, rules, snapshot_by, engine, codes.external), codes)
        except (duckdb.InvalidInputException, duckdb.IOException) as exc:
            raise _unreadable(exc, files, chosen) from None
        except duckdb.OutOfMemoryException as exc:
            raise _out_of_memory(files[0].path, exc) from None
        finally:
            con.close()
    counts = add_counts(add_counts(staged.counts, resolved), ran.whole.counts)
    return _result(staged, counts, ran.whole, ran if snapshot_by else None, relation, rules)


def _email_files(
    path: Path | Sequence[EmailFile], file_format: str | None, layout: ExportLayout | None
) -> list[EmailFile]:
    """The files of one log: ``path`` read with ``file_format`` and ``layout``, or the files given;
    none, or two of one name, messages and recipients files alike (a rejected row names its file by
    name, and the project renames it by that name), is an error."""
    if isinstance(path, str | os.PathLike):
        files = [EmailFile(Path(path), file_format, layout)]
    else:
        files = [replace(f, path=Path(f.path)) for f in path]
    if not files:
        raise InputError("no e-mail file given")
    read = [f.path for f in files] + [
        f.layout.recipients_path for f in files if f.layout and f.layout.recipients_path
    ]
    twice = [name for name, n in Counter(p.name for p in read).items() if n > 1]
    if twice:
        same = [p for p in read if p.name == twice[0]]
        if any(
            f.layout and f.layout.recipients_path and _same(f.layout.recipients_path, f.path) for f in files
        ):
            raise InputError(
                f"{twice[0]}: recipients.path names the messages file itself; name the recipients file"
            )
        if all(_same(p, same[0]) for p in same):  # ./m.csv beside m.csv
            raise InputError(f"{twice[0]}: one e-mail log reads this file {len(same)} times; name it once")
        folders = ", ".join(f"{p.parent.name}/{p.name}" for p in same)  # the folders, no absolute path
        raise InputError(
            f"{twice[0]}: {len(same)} files of one e-mail log (its exports and their recipients files) have "
            f"this name, in different folders ({folders}); rename all but one, so that every rejected row "
            "names its file"
        )
    return files


def _same(one: Path, other: Path) -> bool:
    """Whether two paths name one file (``./m.csv`` and ``m.csv``)."""
    return one.resolve() == other.resolve()


def _limits(chosen: Sequence[str], memory_limit: str | None, threads: int | None) -> tuple[str, int]:
    """DuckDB's memory limit and threads: those given, else by format (mbox and eml parsing is
    Python-bound: one thread and a small cache; exports are read in parallel)."""
    streamed = all(c in ("mbox", "eml") for c in chosen)
    return (
        memory_limit or ("64MB" if streamed else "512MB"),
        threads or (1 if streamed else max(os.cpu_count() or 1, 1)),
    )


def _resolved(
    con: Any,
    resolver: Resolver,
    internal_domains: Collection[str],
    pool: bool,
    codes: email_identity.PersonCodes,
    files: Sequence[EmailFile],
    staged: Staged,
) -> dict[str, int]:
    """The staged addresses resolved to people (the counts of those dropped), or ``no-roster-address``
    when none of them is a roster person, with the rows staging set aside, so validate lists them too."""
    resolved = email_identity.resolve(con, resolver, internal_domains, pool, codes)
    unmatched = email_identity.unmatched(con, codes)
    if unmatched is not None:
        error = _no_roster_address(files, resolved, unmatched, internal_domains)
        raise InputError(str(error), (*staged.issues, *error.issues))
    return resolved


def _unreadable(exc: Exception, files: Sequence[EmailFile], chosen: Sequence[str]) -> InputError:
    """An export the engine cannot read at all, named (by its path in the engine's message) with the
    code and fix of its format (:data:`UNREADABLE`)."""
    given = [
        (p, "parquet" if _parquet_file(p) else kind)
        for f, kind in zip(files, chosen, strict=True)
        for p in (f.path, (f.layout or ExportLayout()).recipients_path)
        if p
    ]
    said = str(exc)  # names the file by its path; a name alone may be part of another's
    culprit, kind = next(
        ((p, k) for p, k in given if str(p) in said or str(p.resolve()) in said),
        next(((p, k) for p, k in given if p.name in said), given[0]),
    )
    code, hint = UNREADABLE.get(kind, ("unreadable-file", "export the file again"))
    return fail(culprit.name, None, code, str(exc).splitlines()[0], hint)


def _out_of_memory(path: Path, exc: Exception) -> InputError:
    return InputError(
        f"{path.name}: aggregating the e-mail log ran out of the database engine's memory "
        f"({exc}); give load_email a larger memory_limit, "
        'or use engine = "spark" for logs this large'
    )


def _no_roster_address(
    files: Sequence[EmailFile],
    counts: Mapping[str, int],
    unmatched: tuple[int, str],
    internal_domains: Collection[str],
) -> InputError:
    """``no-roster-address``: a log none of whose senders and recipients is a roster person
    would be an empty network, so it fails saying why rather than giving one."""
    n_messages, example = unmatched
    unknown, external = (
        counts.get(f"{status}-sender", 0) + counts.get(f"{status}-address", 0)
        for status in ("unknown", "external")
    )
    found = [f"{unknown:,} not on the roster"] if unknown else []
    if external:
        found.append(f"{external:,} outside internal_domains ({', '.join(internal_domains)})")
    detail = (
        f"no sender or recipient of its {n_messages:,} message(s) is a person on the roster (of their "
        f'addresses, {" and ".join(found)}, such as "{example}"), so it gives no tie'
    )
    roster = (
        "give the roster each person's e-mail address: an email column, or map yours in [people], "
        'e.g. columns = { email = "work_email" }'
    )
    domains = "list the log's own domain in [project] internal_domains"
    hint = f"{domains}, or {roster}" if external else roster
    name = ", ".join(dict.fromkeys(f.path.name for f in files))
    return fail(name, None, "no-roster-address", detail, hint)


def _ties(frame: pd.DataFrame, relation: str) -> pd.DataFrame:
    return normalise_ties(frame.drop(columns="period").assign(relation=relation))


def _counts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="period").reset_index(drop=True)[list(PERSON_COUNT_COLUMNS)]


def _emptied(result: Aggregate, rules: TieRules, *, whole: bool = False) -> tuple[RuleEmptied, ...]:
    """The tie rules that left a period (``whole``: the window) no tie though its messages would
    make some, each with the value that gives one (:func:`~leadnet.importers.email_emptied.rule_changes`)."""
    return tuple(change for figures in result.emptied for change in rule_changes(figures, rules, whole=whole))


def _records(staged: Staged) -> list[InputRecord]:
    """One record per file read: its rows, less those with an issue (a folder of .eml files holds the
    issues of files named by no other record)."""
    records = []
    names = {file.name for file, _, _ in staged.files}
    for file, kind, rows_read in staged.files:
        mine = {
            (i.file, i.line)
            for i in staged.issues
            if i.file == file.name or file.is_dir() and i.file not in names
        }
        rejected = len(mine)
        records.append(InputRecord(str(file), kind, _sha256(file), rows_read, rows_read - rejected, rejected))
    return records


def _by_period(periods: Aggregate, counts: Mapping[str, int], relation: str) -> dict[str, PeriodTies]:
    """Each period's ties, per-person counts and normalisations: ``counts`` of the whole log, with the
    drops of the tie rules (:data:`~leadnet.importers.email_sql.PERIOD_DROPS`) the period's own."""
    ties = dict(tuple(periods.ties.groupby("period", sort=False)))
    people = dict(tuple(periods.person_counts.groupby("period", sort=False)))
    return {
        name: PeriodTies(
            name,
            _ties(ties.get(name, periods.ties.iloc[:0]), relation),
            _counts(people.get(name, periods.person_counts.iloc[:0])),
            period_counts(counts, PERIOD_DROPS, periods.period_drops.get(name, {})),
        )
        for name in sorted(set(ties) | set(people))
    }


def _result(
    staged: Staged,
    counts: dict[str, int],
    whole: Aggregate,
    periods: Aggregate | None,
    relation: str,
    rules: TieRules,
) -> EmailImport:
    records = _records(staged)
    emptied = _emptied(periods, rules) if periods is not None else _emptied(whole, rules, whole=True)
    return EmailImport(
        ties=_ties(whole.ties, relation),
        non_respondents=(),
        record=records[0],
        issues=tuple(staged.issues),
        normalisations=counts,
        person_counts=_counts(whole.person_counts),
        records=tuple(records),
        by_period={} if periods is None else _by_period(periods, counts, relation),
        rules=rules,
        emptied=emptied,
        headers_read=tuple(staged.headers_read),
    )
