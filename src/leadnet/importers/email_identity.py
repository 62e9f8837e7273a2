"""Address texts → person ids, the same way for every e-mail staging path.

Every path stages two tables of address *texts* (as written in the file):

- ``ln_mail_raw``: ``msg_seq``, ``message_id``, ``ts``, ``n_recipients``, ``naive``,
  ``code`` (a quarantine code, NULL for a good message), ``sender_id`` (the person when
  the text is spelled as on the roster) and ``sender_text`` (the text otherwise);
- ``ln_rcpt_raw``: ``msg_seq``, ``recipient_id``, ``address_text``, ``kind``.

Spellings on the roster (:func:`~leadnet.importers.headers.known_addresses`, table
``ln_known``) are joined in SQL while staging; :func:`resolve` then classifies each
distinct remaining text once (:func:`~leadnet.importers.headers.classify`), counts the
drops and creates the ``ln_mail`` and ``ln_rcpt`` views the tie rules read
(:mod:`leadnet.importers.aggregate`). Paths that stage one row per (message, recipient)
(``ln_raw``: mbox, eml, JSON, two-file exports) get both tables from
:func:`raw_from_events`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from leadnet.importers.headers import classify, known_addresses
from leadnet.importers.identity import EXTERNAL, Resolver

RAW_FROM_EVENTS = (
    """CREATE TEMP TABLE ln_mail_raw AS
    SELECT m.msg_seq, m.message_id, m.ts, m.n_recipients, FALSE AS naive, CAST(NULL AS VARCHAR) AS code,
           k.person_id AS sender_id, CASE WHEN k.person_id IS NULL THEN m.sender END AS sender_text
    FROM (SELECT msg_seq, min(message_id) AS message_id, min(sender) AS sender, min(ts) AS ts,
                 max(n_recipients) AS n_recipients FROM ln_raw GROUP BY msg_seq) AS m
    LEFT JOIN ln_known AS k ON m.sender = k.key""",
    """CREATE TEMP TABLE ln_rcpt_raw AS
    SELECT r.msg_seq, k.person_id AS recipient_id, CASE WHEN k.person_id IS NULL THEN r.recipient END
           AS address_text, r.kind
    FROM ln_raw AS r LEFT JOIN ln_known AS k ON r.recipient = k.key WHERE r.recipient IS NOT NULL""",
)
"""``ln_raw`` (one row per message and recipient, texts; good messages only) → the raw tables."""


def register_known(con: Any, resolver: Resolver, internal_domains: Collection[str]) -> None:
    """Create the ``ln_known`` table (key, person_id) of spellings resolved without parsing."""
    known = known_addresses(resolver, internal_domains)
    frame = pd.DataFrame({"key": list(known), "person_id": list(known.values())}, dtype=object)
    con.register("ln_known_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE ln_known AS SELECT CAST(key AS VARCHAR) AS key, "
                "CAST(person_id AS VARCHAR) AS person_id FROM ln_known_frame")  # fmt: skip
    con.unregister("ln_known_frame")


def raw_from_events(con: Any) -> None:
    """Create ``ln_mail_raw`` and ``ln_rcpt_raw`` from the ``ln_raw`` event table."""
    for statement in RAW_FROM_EVENTS:
        con.execute(statement)


def _classified(
    addresses: Any, resolver: Resolver, internal_domains: Collection[str], pool: bool
) -> pd.DataFrame:
    """``address, person_id, status`` of each address by :func:`classify`; externals pooled or dropped."""
    rows = [(a, *classify(str(a), resolver, internal_domains)) for a in addresses]
    identity = pd.DataFrame(rows, columns=["address", "person_id", "status"], dtype=object)
    identity.loc[identity["status"] == "external", "person_id"] = EXTERNAL if pool else None
    return identity


def resolve(con: Any, resolver: Resolver, internal_domains: Collection[str], pool: bool) -> dict[str, int]:
    """Classify the texts no roster spelling matched; create ``ln_mail`` / ``ln_rcpt``; count drops.

    Counts: ``{status}-address`` per recipient entry and ``{status}-sender`` per message
    of good messages, for the statuses ``external``, ``unknown`` and ``invalid``.
    """
    distinct = con.sql(
        "SELECT DISTINCT address FROM (SELECT sender_text AS address FROM ln_mail_raw WHERE code IS NULL "
        "UNION ALL SELECT address_text FROM ln_rcpt_raw) WHERE address IS NOT NULL"
    ).fetchnumpy()["address"]
    identity = _classified(distinct, resolver, internal_domains, pool)
    con.register("ln_identity_frame", identity)
    con.execute("CREATE OR REPLACE TEMP TABLE ln_identity AS SELECT CAST(address AS VARCHAR) AS address, "
                "CAST(person_id AS VARCHAR) AS person_id, CAST(status AS VARCHAR) AS status "
                "FROM ln_identity_frame")  # fmt: skip
    con.unregister("ln_identity_frame")
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ln_mail AS SELECT m.msg_seq, m.message_id, "
        "coalesce(m.sender_id, i.person_id) AS sender, m.ts, m.n_recipients FROM ln_mail_raw AS m "
        "LEFT JOIN ln_identity AS i ON m.sender_text = i.address WHERE m.code IS NULL"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ln_rcpt AS SELECT r.msg_seq, coalesce(r.recipient_id, i.person_id) "
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
    counts = {f"{status}-address": int(n) for status, n in counted}
    counts.update({f"{status}-sender": int(n) for status, n in senders})
    return counts
