"""Person identifiers: normal form, aliases, "did you mean", keyed pseudonyms.

One person may appear as ``"Alice@X.org"`` in the roster and ``" alice@x.org "`` in a
survey, or as ``1`` in a workbook and ``"1"`` in a CSV. :func:`normalise_id` gives every
spelling one form (invisible format characters such as a zero-width space or a stray
byte-order mark removed: two ids that look the same are the same); :class:`Resolver`
maps any known spelling (person_id, email, alias) to the roster's person_id. Importers
count each row whose text differed from the id it resolved to as the normalisation
``id-normalised``; a spelling that resolves to nobody is explained by
:meth:`Resolver.explain`, the one place that words it for every importer.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from leadnet.addresses import is_address
from leadnet.errors import InputError, RowIssue
from leadnet.invisible import category_class
from leadnet.near_ids import NEAR_UNNAMED, did_you_mean, fold_id, folded_ids, nearest

EXTERNAL = "external"
"""The one person_id that pools every address outside the organisation (``external = "pool"``)."""
SUGGEST_LIMIT = 100
"""Distinct unresolved spellings of one file that get a "did you mean" search (each scans the roster)."""
UNREAD_OPT_OUTS = (
    "no roster id is named while the opt-out list cannot be read: it could be someone who opted out"
)
"""Why ``leadnet validate`` names no roster id, neither the closest to an unknown one nor those an ambiguous
alias names, when the roster's opt-out list could not be read: the roster was read with everyone on it, and
an opted-out person's id must never be named."""


def normalise_id(text: str | int | float) -> str:
    """The normal form of a person identifier.

    Surrounding whitespace is stripped, and so are invisible format characters (Unicode
    category Cf: a zero-width space, a byte-order mark, a soft hyphen, direction marks)
    wherever they stand, since an id that shows as ``E0001`` must be ``E0001``; an email
    address (:func:`~leadnet.addresses.is_address`, the rule of the warning that ids are addresses
    too) is casefolded; the number ``1`` (or ``1.0`` from a spreadsheet) becomes ``"1"``.
    Anything else is kept as written: ``"00123"`` stays ``"00123"``.

    Examples
    --------
    >>> normalise_id(" Alice@X.org "), normalise_id(1), normalise_id(1.0), normalise_id(" 00123")
    ('alice@x.org', '1', '1', '00123')
    >>> normalise_id("E0001\u200b"), normalise_id("\ufeffE0002")
    ('E0001', 'E0002')
    """
    if type(text) is str and "@" not in text:  # the common case, without the pattern
        clean = text.strip()
        return clean if clean.isascii() else visible_text(clean)
    if isinstance(text, float) and text.is_integer():
        return str(int(text))
    clean = str(text).strip()
    clean = clean if clean.isascii() else visible_text(clean)
    return clean.casefold() if is_address(clean) else clean


def visible_text(text: str) -> str:
    """``text`` without its format characters (category Cf), stripped again.

    >>> visible_text("Surgery\u200b "), visible_text("\ufeffA&E")
    ('Surgery', 'A&E')
    """
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def format_class() -> str:
    """A regular-expression class of the characters :func:`visible_text` removes (category Cf), in
    ranges of the characters themselves, which DuckDB (RE2) and Spark (Java) read as Python does
    (:func:`leadnet.invisible.category_class`, made once).

    >>> "\u200b" in format_class() and format_class().startswith("[\u00ad")
    True
    """
    return category_class(("Cf",))


def visible_sql(text: str) -> str:
    """SQL for :func:`visible_text` of ``text``, an SQL text already trimmed and never blank.

    Only text with a character beyond ASCII (every format character is one) is searched:
    ``strlen`` (bytes) equals ``length`` (characters) for the rest, a test far cheaper than
    a regular expression over ten million Message-IDs. Text that was only format
    characters becomes NULL. DuckDB's spelling (Spark's: ``spark.spark_sql``).
    """
    return (
        f"CASE WHEN strlen({text}) = length({text}) THEN {text} "
        f"ELSE nullif(trim(regexp_replace({text}, '{format_class()}', '', 'g')), '') END"
    )


def has_format_sql(text: str) -> str:
    """SQL that is true when the text ``text`` holds a format character (searched only beyond ASCII)."""
    found = f"regexp_matches({text}, '{format_class()}')"
    return f"CASE WHEN strlen({text}) = length({text}) THEN FALSE ELSE {found} END"


class Resolver:
    """Map any known spelling of a person to the roster's ``person_id``.

    Parameters
    ----------
    people
        A people table with ``person_id`` and optionally alias columns.
    alias_columns
        Columns holding other names for the person; ``aliases`` may hold several,
        separated by ``;``. Missing columns are ignored.
    excluded
        Normalised spellings of people excluded at ingestion (opt-outs): they resolve
        to ``None`` and :meth:`is_excluded` is true.
    rejected
        Normalised spellings (id, email, aliases) of roster rows that were rejected, each
        with the roster issue that rejected it: they resolve to ``None``, and
        :meth:`explain` sends the reader to that roster row instead of calling the
        person unknown.
    unsuggested
        Why no person_id is named for a spelling that resolves to nobody (such as
        :data:`UNREAD_OPT_OUTS`: ``people`` may hold people who opted out), said in its hint:
        neither the closest nor those an ambiguous alias names (they are counted);
        ``None``: both are named.

    An alias shared by two people resolves to nobody and is listed in ``ambiguous``.

    Examples
    --------
    >>> people = pd.DataFrame({"person_id": ["1", "2"], "email": ["Alice@X.org", "bob@x.org"]})
    >>> r = Resolver(people)
    >>> r.resolve(" alice@x.org "), r.resolve(1), r.resolve("carol@x.org"), r.suggest("bob@x.com")
    ('1', '1', None, '2')
    """

    def __init__(
        self,
        people: pd.DataFrame,
        *,
        alias_columns: Sequence[str] = ("email", "aliases"),
        excluded: Collection[str] = (),
        rejected: Mapping[str, RowIssue] | None = None,
        unsuggested: str | None = None,
    ) -> None:
        ids = [str(p) for p in people["person_id"]]
        self._keys: dict[str, str] = {normalise_id(p): p for p in ids}
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        for column in alias_columns:
            if column in people:
                for pid, cell in zip(ids, people[column].fillna("").astype(str), strict=True):
                    for alias in cell.split(";") if column == "aliases" else [cell]:
                        self._add_alias(normalise_id(alias), pid)
        self.excluded = frozenset(normalise_id(e) for e in excluded)
        self.rejected: Mapping[str, RowIssue] = dict(rejected or {})
        self.unsuggested = unsuggested

    def _add_alias(self, key: str, pid: str) -> None:
        if not key:
            return
        if key in self.ambiguous:
            self.ambiguous[key] = tuple(sorted({*self.ambiguous[key], pid}))
        elif self._keys.setdefault(key, pid) != pid:
            self.ambiguous[key] = tuple(sorted({self._keys.pop(key), pid}))

    @property
    def person_ids(self) -> frozenset[str]:
        """Every known person_id."""
        return frozenset(self._keys.values())

    def spellings(self) -> dict[str, str]:
        """Every normalised spelling that resolves, mapped to its person_id (for joins in SQL).

        >>> Resolver(pd.DataFrame({"person_id": ["1"], "email": ["Alice@X.org"]})).spellings()
        {'1': '1', 'alice@x.org': '1'}
        """
        return {key: pid for key, pid in self._keys.items() if key not in self.excluded}

    def resolve(self, text: str | int | float) -> str | None:
        """The person_id ``text`` names, or ``None`` when unknown, ambiguous or excluded."""
        # a known normal form is its own normal form: skip working it out again
        key = text if isinstance(text, str) and text in self._keys else normalise_id(text)
        return None if key in self.excluded else self._keys.get(key)

    def is_ambiguous(self, text: str | int | float) -> bool:
        """Whether ``text`` is a spelling two people share (it resolves to neither)."""
        return bool(self.ambiguous) and normalise_id(text) in self.ambiguous

    def is_excluded(self, text: str | int | float) -> bool:
        """Whether ``text`` names a person excluded at ingestion."""
        return bool(self.excluded) and normalise_id(text) in self.excluded

    @functools.cached_property
    def _folded(self) -> dict[str, str | None]:
        """Each spelling's :func:`fold_id` → its person_id (``None`` where two people's fold alike)."""
        return folded_ids(self._keys)

    def near(self, text: str | int | float) -> str | None:
        """The one person a spelling of whom differs from ``text`` only in letter case, punctuation or
        leading zeros (:func:`fold_id`), whatever ``unsuggested`` says: a caller that names them must ask it.
        A spelling that folds as one of someone excluded gets :data:`~leadnet.near_ids.NEAR_UNNAMED`,
        naming no one, as :func:`~leadnet.near_ids.nearest` does (the excluded spellings folded once).

        >>> from leadnet.near_ids import NEAR_UNNAMED
        >>> r = Resolver(pd.DataFrame({"person_id": ["E0166", "E-1", "E1"]}), excluded={"E0005"})
        >>> r.near("e166"), r.near("E01"), r.near("e-0005") == NEAR_UNNAMED
        ('E0166', None, True)
        """
        fold = fold_id(normalise_id(text))
        return NEAR_UNNAMED if fold in self._folded_excluded else self._folded.get(fold)

    @functools.cached_property
    def _folded_excluded(self) -> frozenset[str]:
        """The :func:`fold_id` of each spelling of someone excluded."""
        return frozenset(fold_id(key) for key in self.excluded)

    def suggest(self, text: str | int | float, *, search: bool = True) -> str | None:
        """The person_id whose spelling is closest to ``text``, for a "did you mean" hint (none when
        ``unsuggested`` says why not).

        First the one person a spelling of whom differs from ``text`` only in letter case,
        punctuation or leading zeros (:func:`fold_id`: ``1`` for ``00001``, which no
        similarity of the texts finds), a lookup; then, with ``search``, the most similar
        spelling (a scan of the roster): :func:`~leadnet.near_ids.nearest`, as for a cohort file's ids.
        A spelling like one of someone excluded gets :data:`~leadnet.near_ids.NEAR_UNNAMED` (or
        :data:`~leadnet.near_ids.LIKE_UNNAMED`), not the next person like it.

        >>> r = Resolver(pd.DataFrame({"person_id": ["00001", "00002", "E0166", "E0106"]}))
        >>> r.suggest("1"), r.suggest("E166"), r.suggest("E0107"), r.suggest("E0107", search=False)
        ('00001', 'E0166', 'E0106', None)
        """
        if self.unsuggested is not None:
            return None
        return nearest(normalise_id(text), self._keys, self._folded, search=search, unnamed=self.excluded)

    def explain(self, text: str, *, suggest: bool = True) -> tuple[str, str, str | None]:
        """``(code, detail, hint)`` of a row naming ``text``, a spelling that resolved to nobody.

        - ``ambiguous-person``: an alias two people share, with their person_ids (only
          counted when ``unsuggested`` says why no id is named);
        - ``roster-rejected``: the person has a roster row, but it was rejected (the
          roster's problem, not this row's: the fix is in the roster);
        - ``unknown-person``: on no roster row, with the person_id it differs from only in
          letter case, punctuation or leading zeros (:meth:`suggest`; saying so when a
          spreadsheet dropped the zeros), else the closest one when ``suggest`` (a search
          of the whole roster, so callers may stop asking), or why none is suggested
          (``unsuggested``).

        Opted-out people (:meth:`is_excluded`) are no problem of the row: callers count
        their rows and do not ask.

        Examples
        --------
        >>> people = pd.DataFrame({"person_id": ["E01", "E02"], "email": ["ann@x.org", "ann@x.org"]})
        >>> bad = RowIssue("people.csv", 4, "unknown-level", 'level "Z" is not in level_order')
        >>> r = Resolver(people, rejected={"E03": bad})
        >>> print(*r.explain("E03"), sep="\\n")
        roster-rejected
        person "E03" is on the roster at people.csv line 4, but that row was rejected as unknown-level
        fix that roster row; this row needs no change
        >>> r.explain("ANN@x.org")
        ('ambiguous-person', '"ANN@x.org" names "E01", "E02"', 'use the person_id')
        >>> r.explain(" E011 ")
        ('unknown-person', 'unknown person "E011"', 'did you mean "E01"?')
        >>> Resolver(pd.DataFrame({"person_id": ["00001"]})).explain("1", suggest=False)[2]
        'did you mean "00001"? Its leading zeros are missing, as when a spreadsheet reads ids as numbers: \
keep the column as text'
        >>> r.explain("zed", suggest=False)
        ('unknown-person', 'unknown person "zed"', 'add them to the roster or correct the id')
        >>> unread = Resolver(people, unsuggested="the list is unread")
        >>> unread.explain("E011")[2]
        'add them to the roster or correct the id; the list is unread'
        >>> print(*unread.explain("ann@x.org"), sep="\\n")
        ambiguous-person
        "ann@x.org" names 2 people on the roster
        use the person_id; the list is unread
        """
        shown, key = (text.strip() if text.isascii() else visible_text(text)), normalise_id(text)
        shared = self.ambiguous.get(key) or self.ambiguous.get(shown.casefold())
        if shared and self.unsuggested is not None:  # any of them may have opted out
            detail = f'"{shown}" names {len(shared):,} people on the roster'
            return "ambiguous-person", detail, f"use the person_id; {self.unsuggested}"
        if shared:
            people = ", ".join(f'"{p}"' for p in shared)
            return "ambiguous-person", f'"{shown}" names {people}', "use the person_id"
        row = self.rejected.get(key)
        if row is not None:
            where = row.file if row.line is None else f"{row.file} line {row.line}"
            detail = f'person "{shown}" is on the roster at {where}, but that row was rejected as {row.code}'
            return "roster-rejected", detail, "fix that roster row; this row needs no change"
        guess = self.suggest(key, search=suggest)
        hint = did_you_mean(key, guess) if guess else "add them to the roster or correct the id"
        if self.unsuggested is not None:
            hint = f"{hint}; {self.unsuggested}"
        return "unknown-person", f'unknown person "{shown}"', hint

    def explain_each(self, texts: Iterable[str]) -> dict[str, tuple[str, str, str | None]]:
        """:meth:`explain` of each distinct text, stripped; the first :data:`SUGGEST_LIMIT` get a suggestion.

        >>> Resolver(pd.DataFrame({"person_id": ["E01"]})).explain_each([" E02", "E02 "])
        {'E02': ('unknown-person', 'unknown person "E02"', 'did you mean "E01"?')}
        """
        explained: dict[str, tuple[str, str, str | None]] = {}
        for text in texts:
            key = str(text).strip()
            if key not in explained:
                explained[key] = self.explain(key, suggest=len(explained) < SUGGEST_LIMIT)
        return explained

    def resolve_series(self, values: pd.Series) -> pd.Series:
        """Resolve every value at once (each distinct value looked up once); ``None`` when unknown."""
        return per_distinct(values, self.resolve)


def per_distinct(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct value (an object Series).

    >>> per_distinct(pd.Series(["a", "b", "a"]), str.upper).tolist()
    ['A', 'B', 'A']
    """
    return per_distinct_many(values, [func])[0]


def per_distinct_many(values: pd.Series, funcs: Sequence[Callable[[Any], Any]]) -> list[pd.Series]:
    """:func:`per_distinct` for several functions, the distinct values found once.

    A column of ten million cells naming a million people costs a million calls per
    function, and each result is spread back by position (``pd.factorize`` codes), not
    by hashing every cell again.
    """
    codes, _, results = per_distinct_codes(values, funcs)
    return [pd.Series(mapped[codes], index=values.index, dtype=object) for mapped in results]


def per_distinct_codes(
    values: pd.Series, funcs: Sequence[Callable[[Any], Any]]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Each cell's position among the distinct values, those values, and each function's result on them.

    For callers that keep working per distinct value and spread only what they need
    back to the rows (``result[codes]``).

    >>> codes, distinct, (upper,) = per_distinct_codes(pd.Series(["a", "b", "a"]), [str.upper])
    >>> codes.tolist(), distinct.tolist(), upper.tolist()
    ([0, 1, 0], ['a', 'b'], ['A', 'B'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # a column read by Arrow: its codes, renumbered
        codes, present = pd.factorize(values.cat.codes.to_numpy())  # as factorizing the text would
        uniques = np.asarray(values.cat.categories, dtype=object)[present]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = []
    for func in funcs:
        mapped = np.empty(len(uniques), dtype=object)
        mapped[:] = [func(value) for value in uniques]
        results.append(mapped)
    return codes, np.asarray(uniques, dtype=object), results


def pseudonym(person_id: str, key: bytes) -> str:
    """A keyed pseudonym: ``p_`` + the first 12 hex digits of HMAC-SHA256(key, person_id).

    A plain hash of an email address is reversed in seconds by hashing the roster; a
    keyed one cannot be without the key. 12 hex digits (48 bits) make a collision
    unlikely below a million people; callers should still check uniqueness.

    References
    ----------
    Krawczyk, Bellare & Canetti (1997). HMAC: keyed-hashing for message authentication.
    RFC 2104.

    Examples
    --------
    >>> pseudonym("alice@x.org", derive_key("s3cret", 0))
    'p_766e2b8deedf'
    """
    digest = hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return "p_" + digest[:12]


def pseudonyms(ids: Iterable[str], key: bytes) -> dict[str, str]:
    """Each distinct id mapped to its keyed pseudonym; refuses a (48-bit) collision.

    >>> pseudonyms(["a", "b", "a"], derive_key("s3cret", 0)) == {
    ...     "a": pseudonym("a", derive_key("s3cret", 0)), "b": pseudonym("b", derive_key("s3cret", 0))}
    True
    """
    mapping = {pid: pseudonym(pid, key) for pid in dict.fromkeys(ids) if pid}
    if len(set(mapping.values())) != len(mapping):
        raise InputError("two people received the same pseudonym; use another LEADNET_PSEUDONYM_KEY")
    return mapping


def derive_key(secret: str | None, seed: int) -> bytes:
    """The 32-byte pseudonym key.

    With a ``secret`` (kept outside the project, e.g. passed by the CLI) the key is
    SHA-256 of a version tag and the secret: pseudonyms are stable across runs and
    cannot be recomputed without it. Without one, the key comes from ``seed`` only:
    pseudonyms are stable and opaque in reports, but anyone holding the roster and the
    seed can recompute them, so this is not protection.

    Examples
    --------
    >>> len(derive_key(None, 0)), derive_key(None, 0) == derive_key(None, 1)
    (32, False)
    """
    if secret:
        material = b"leadnet/pseudonym/v1/secret\0" + secret.encode("utf-8")
    else:
        material = f"leadnet/pseudonym/v1/seed\0{seed}".encode()
    return hashlib.sha256(material).digest()
