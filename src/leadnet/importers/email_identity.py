"""Address texts → person ids, the same way for every e-mail staging path.

Every path stages two tables of address *texts* (as written in the file):

- ``ln_mail_raw``: ``msg_seq``, ``message_id``, ``ts``, ``n_recipients``, ``naive``,
  ``code`` (a quarantine code, NULL for a good message), ``sender_person`` (the person's
  code when the text is spelled as on the roster) and ``sender_text`` (the text otherwise);
- ``ln_rcpt_raw``: ``msg_seq``, ``recipient_person``, ``address_text``, ``kind``.

People are small integers inside these tables (:class:`PersonCodes`): the tie rules
group and join tens of millions of rows by person, and integers are cheaper to hash
and compare than text (at 10 million messages the pair count took 8.9 s on person ids,
5.6 s on codes). Codes follow the ids' sort order, so ties sorted by code are sorted
by id; :func:`decode` turns the small results back into ids.

Spellings on the roster (:func:`~leadnet.importers.headers.known_addresses`, table
``ln_known``) are joined in SQL while staging; :func:`resolve` then classifies each
distinct remaining text once (:func:`~leadnet.importers.headers.classify`), counts the
drops and creates the ``ln_mail`` and ``ln_rcpt`` views the tie rules read
(:mod:`leadnet.importers.aggregate`). Paths that stage one row per (message, recipient)
(``ln_raw``: mbox, eml, JSON, two-file exports) get both tables from
:func:`raw_from_events`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from leadnet.importers.aggregate import Aggregate
from leadnet.importers.headers import PLAIN_ADDRESS, classify, known_addresses
from leadnet.importers.identity import EXTERNAL, Resolver

RAW_FROM_EVENTS = (
    """CREATE TEMP TABLE ln_mail_raw AS
    SELECT m.msg_seq, m.message_id, m.ts, m.n_recipients, FALSE AS naive, CAST(NULL AS VARCHAR) AS code,
           k.person AS sender_person, CASE WHEN k.person IS NULL THEN m.sender END AS sender_text
    FROM (SELECT msg_seq, min(message_id) AS message_id, min(sender) AS sender, min(ts) AS ts,
                 max(n_recipients) AS n_recipients FROM ln_raw GROUP BY msg_seq) AS m
    LEFT JOIN ln_known AS k ON m.sender = k.key""",
    """CREATE TEMP TABLE ln_rcpt_raw AS
    SELECT r.msg_seq, k.person AS recipient_person, CASE WHEN k.person IS NULL THEN r.recipient END
           AS address_text, r.kind
    FROM ln_raw AS r LEFT JOIN ln_known AS k ON r.recipient = k.key WHERE r.recipient IS NOT NULL""",
)
"""``ln_raw`` (one row per message and recipient, texts; good messages only) → the raw tables."""


class PersonCodes:
    """Person ids ↔ the integer codes the e-mail tables hold, in the ids' sort order.

    Every person an address can resolve to is a roster person (``classify`` resolves
    through the same :class:`~leadnet.importers.identity.Resolver`), so the codes are
    fixed when made; the pooled external sender or recipient (``EXTERNAL``) has one too.

    Examples
    --------
    >>> codes = PersonCodes(["b", "a"])
    >>> codes.code("a"), codes.code("b"), codes.external
    (0, 1, 2)
    >>> codes.ids([2, 0]).tolist()
    ['external', 'a']
    """

    def __init__(self, person_ids: Iterable[str]) -> None:
        self._ids = np.array(sorted({*person_ids, EXTERNAL}), dtype=object)
        self._codes = {pid: code for code, pid in enumerate(self._ids)}

    def code(self, person_id: str) -> int:
        """The code of ``person_id``."""
        return self._codes[person_id]

    @property
    def external(self) -> int:
        """The code of the pooled external person."""
        return self._codes[EXTERNAL]

    def ids(self, codes: Any) -> np.ndarray:
        """The person ids of ``codes`` (anything NumPy reads as integers), as an object array."""
        return self._ids[np.asarray(codes, dtype=np.int64)]


def register_known(con: Any, resolver: Resolver, internal_domains: Collection[str]) -> PersonCodes:
    """Create the ``ln_known`` table (key, person) of spellings resolved without parsing.

    Returns the codes the staged tables use for people (``person`` is one of them).
    """
    codes = PersonCodes(resolver.person_ids)
    known = known_addresses(resolver, internal_domains)
    frame = pd.DataFrame(
        {
            "key": list(known),
            "person": np.fromiter((codes.code(p) for p in known.values()), np.int64, len(known)),
        }
    )
    con.register("ln_known_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE ln_known AS SELECT CAST(key AS VARCHAR) AS key, "
                "CAST(person AS INTEGER) AS person FROM ln_known_frame")  # fmt: skip
    con.unregister("ln_known_frame")
    return codes


def decode(result: Aggregate, codes: PersonCodes) -> Aggregate:
    """``result`` (and its whole window's, when it has one) with person codes turned back into ids;
    code order is id order, so it stays sorted."""
    ties, people = result.ties, result.person_counts
    ties = ties.assign(
        source=codes.ids(ties["source"].to_numpy()), target=codes.ids(ties["target"].to_numpy())
    ).astype({"source": "str", "target": "str"})
    people = people.assign(person_id=codes.ids(people["person_id"].to_numpy())).astype({"person_id": "str"})
    window = None if result.window is None else decode(result.window, codes)
    return replace(result, ties=ties, person_counts=people, window=window)


def raw_from_events(con: Any) -> None:
    """Create ``ln_mail_raw`` and ``ln_rcpt_raw`` from the ``ln_raw`` event table."""
    for statement in RAW_FROM_EVENTS:
        con.execute(statement)


def _classified(
    addresses: Any, resolver: Resolver, internal_domains: Collection[str], pool: bool, codes: PersonCodes
) -> pd.DataFrame:
    """``address, person, status`` of each address by :func:`classify`; externals pooled or dropped.

    ``person`` is the person's code (:class:`PersonCodes`), NULL when the address is dropped.
    """
    rows = [(a, *classify(str(a), resolver, internal_domains)) for a in addresses]
    identity = pd.DataFrame(rows, columns=["address", "person_id", "status"], dtype=object)
    identity.loc[identity["status"] == "external", "person_id"] = EXTERNAL if pool else None
    person = [None if pid is None else codes.code(pid) for pid in identity["person_id"]]
    return identity.assign(person=pd.array(person, dtype="Int64")).drop(columns="person_id")


def resolve(
    con: Any, resolver: Resolver, internal_domains: Collection[str], pool: bool, codes: PersonCodes
) -> dict[str, int]:
    """Classify the texts no roster spelling matched; create ``ln_mail`` / ``ln_rcpt``; count drops.

    ``sender`` and ``recipient`` in ``ln_mail`` and ``ln_rcpt`` are person codes (``codes``).

    Counts: ``{status}-address`` per recipient entry and ``{status}-sender`` per message
    of good messages, for the statuses ``excluded`` (opted out), ``external``, ``ambiguous``
    (an address the roster gives to two people: a shared mailbox names neither), ``unknown``
    (an internal address on no roster row) and ``invalid``; ``id-normalised``, the senders and
    recipients found after removing invisible format characters.
    """
    distinct = con.sql(
        "SELECT DISTINCT address FROM (SELECT sender_text AS address FROM ln_mail_raw WHERE code IS NULL "
        "UNION ALL SELECT address_text FROM ln_rcpt_raw) WHERE address IS NOT NULL"
    ).fetchnumpy()["address"]
    identity = _classified(distinct, resolver, internal_domains, pool, codes)
    con.register("ln_identity_frame", identity)
    con.execute("CREATE OR REPLACE TEMP TABLE ln_identity AS SELECT CAST(address AS VARCHAR) AS address, "
                "CAST(person AS INTEGER) AS person, CAST(status AS VARCHAR) AS status "
                "FROM ln_identity_frame")  # fmt: skip
    con.unregister("ln_identity_frame")
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ln_mail AS SELECT m.msg_seq, m.message_id, "
        "coalesce(m.sender_person, i.person) AS sender, m.ts, m.n_recipients FROM ln_mail_raw AS m "
        "LEFT JOIN ln_identity AS i ON m.sender_text = i.address WHERE m.code IS NULL"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ln_rcpt AS SELECT r.msg_seq, coalesce(r.recipient_person, i.person) "
        "AS recipient, r.kind FROM ln_rcpt_raw AS r LEFT JOIN ln_identity AS i ON r.address_text = i.address"
    )
    if identity.empty:
        return {}
    counted = con.sql(
        "SELECT i.status, count(*) FROM ln_rcpt_raw AS r JOIN ln_identity AS i ON r.address_text = i.address "
        "WHERE i.status <> 'person' "
        "AND r.msg_seq NOT IN (SELECT msg_seq FROM ln_mail_raw WHERE code IS NOT NULL) "
        "GROUP BY i.status"
    ).fetchall()
    senders = con.sql(
        "SELECT i.status, count(*) FROM ln_mail_raw AS m JOIN ln_identity AS i ON m.sender_text = i.address "
        "WHERE i.status <> 'person' AND m.code IS NULL GROUP BY i.status"
    ).fetchall()
    counts = {f"{status}-address": int(n) for status, n in counted if status != "normalised"}
    counts.update({f"{status}-sender": int(n) for status, n in senders if status != "normalised"})
    normalised = sum(int(n) for status, n in [*counted, *senders] if status == "normalised")
    return counts | ({"id-normalised": normalised} if normalised else {})


def unmatched(con: Any, codes: PersonCodes) -> tuple[int, str] | None:
    """When no sender or recipient of a good message is a roster person: how many good
    messages there are and an address of theirs, for the error.

    ``None`` when someone resolved, or when there is no good message (the quarantine says why).
    A log none of whose addresses resolves gives an empty network: a roster without the
    e-mail addresses, or ``internal_domains`` naming another domain, not an organisation
    that wrote no e-mail. The address is a representative one (:data:`EXAMPLE_ADDRESS`).
    """
    person = f"IS NOT NULL AND {{}} <> {codes.external}"
    if con.execute(f"SELECT 1 FROM ln_mail WHERE sender {person.format('sender')} LIMIT 1").fetchone():
        return None
    if con.execute(
        f"SELECT 1 FROM ln_rcpt WHERE recipient {person.format('recipient')} "
        "AND msg_seq IN (SELECT msg_seq FROM ln_mail) LIMIT 1"
    ).fetchone():
        return None
    n_messages = int(con.execute("SELECT count(*) FROM ln_mail").fetchone()[0])
    example = con.execute(EXAMPLE_ADDRESS, [PLAIN_ADDRESS.pattern]).fetchone()
    return (n_messages, str(example[0])) if n_messages and example is not None else None


EXAMPLE_ADDRESS = """SELECT address FROM ln_identity WHERE status IN ('unknown', 'external')
ORDER BY regexp_full_match(lower(address), ?) DESC,
         count(*) OVER (PARTITION BY lower(regexp_extract(address, '@([^@]*)$', 1))) DESC,
         lower(address), address
LIMIT 1"""
"""The address :func:`unmatched` shows: a plain one (no quotes or display name: ``PLAIN_ADDRESS``) of the
domain most of the unmatched addresses have, the first in sort order. The first in sort order alone
was a sample's spoof test address, ``""x@evil.example"@riverside.example"``, as ``"`` sorts before letters."""
