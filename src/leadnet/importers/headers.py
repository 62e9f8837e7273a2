"""Message headers → (sender, recipients, UTC time, Message-ID), and address identity.

Parsing uses ``email.parser.HeaderParser`` with ``email.policy.default`` (headers
only; the body is never given to it) and the policy's header registry ``.addresses``,
never the legacy ``email.utils.getaddresses``/``parseaddr`` (CVE-2023-27043). Subjects
are never read. The header block is decoded as UTF-8 first: RFC 6532 lets headers hold
raw UTF-8 (``From: jörg@example.org``), which the bytes parser reads byte by byte as
undecodable, so such an address resolves as in an export, its invisible format
characters removed and counted there. Bytes that are not UTF-8 (Latin-1) stay undecodable.

A message is quarantined with a stable code when the parser reports a
message-level defect (``malformed-header``: e.g. a header line with no colon), when the
From is missing (``missing-from``), repeated or names several people
(``duplicate-from``), or unparseable (``bad-address``), when an address holds bytes that
are not UTF-8 (``bad-charset``: no roster spelling can match it), when the Date is missing
(``missing-date``), unparseable or outside years 1 to 9999 in UTC (``bad-date``, as in
exports; its year read as RFC 5322 says, :func:`rfc_date`: ``0044`` is 44). Counted normalisations:
``naive-date`` (a Date without a UTC offset, or ``-0000``, is taken as UTC),
``bad-charset`` (an RFC 2047 word in an unknown charset, or bytes that are not UTF-8 in a
display name or a Message-ID, decoded with replacement),
``bad-recipient`` (an unparseable To/Cc address, dropped), ``missing-message-id``,
``id-normalised`` (a Message-ID with invisible format characters, removed as from addresses).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors, policy
from email.headerregistry import Address, DateHeader, HeaderRegistry
from email.parser import HeaderParser
from email.utils import parsedate_to_datetime, parsedate_tz
from typing import Any

from leadnet.importers.identity import Resolver, visible_text


class _WrittenDate(DateHeader):
    """A Date header whose text is the Date as written, so its year's digits can be counted
    (``DateHeader`` writes its text anew from the time Python read: ``0044`` became 2044)."""

    @classmethod
    def parse(cls, value: str | datetime, kwds: dict[str, Any]) -> None:
        super().parse(value, kwds)
        if isinstance(value, str):
            kwds["decoded"] = value


_REGISTRY = HeaderRegistry()
_REGISTRY.map_to_type("date", _WrittenDate)  # type: ignore[arg-type]  # a mixin, as the registry's own
_PARSER = HeaderParser(policy=policy.default.clone(header_factory=_REGISTRY))
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_TIME = r"(?:\d{1,2}:\d\d(?::\d\d)?\s+)?"
_WRITTEN_YEAR = re.compile(
    rf"\b\d{{1,2}}[\s-]+{_MONTH}[\s-]+{_TIME}(\d+)(?![\d:.])"  # 1 Jan 2001; 01-Jan-01 (RFC 850)
    rf"|\b{_MONTH}\s+\d{{1,2}},?\s+{_TIME}(\d+)(?![\d:.])",  # Jan 1 2001; Jan  1 10:00:00 2001 (asctime)
    re.IGNORECASE,
)
"""The year of a Date as written: after its day and month, and after the time if that comes first."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""A control character: never part of an address (the header parser would quietly drop it)."""
PLAIN_ADDRESS = re.compile(
    r"[a-z0-9_%+'-]+(\.[a-z0-9_%+'-]+)*@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"
)
"""A dot-atom address the header parser reads as itself (no quotes, comments or display name)."""
_CHARSET_DEFECTS = (errors.CharsetError, errors.UndecodableBytesDefect)
RECIPIENT_HEADERS = (("to", "to"), ("cc", "cc"), ("bcc", "cc"))


@dataclass(frozen=True)
class Headers:
    """What leadnet keeps of one message: addresses as ``addr_spec``, time in UTC."""

    sender: str
    recipients: tuple[tuple[str, str], ...]
    n_recipients: int
    timestamp: datetime
    message_id: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """Why a message was quarantined: a stable code and a detail."""

    code: str
    detail: str
    hint: str | None = None


CHARSET_FIX = "export the mailbox again in UTF-8"
"""The fix of an address holding bytes that are not UTF-8 (``bad-charset``)."""
FAR_DATE_FIX = "correct the Date header, or remove the message"
"""The fix of a Date outside years 1 to 9999 in UTC, as the export readers' ``bad-date``."""


def _valid(address: Address) -> bool:
    return bool(address.username) and bool(address.domain)


def _not_utf8(header: str, address: Address) -> Rejection | None:
    """The rejection of an address holding bytes that are not UTF-8 (the parser keeps each as a
    surrogate escape, which no roster spelling matches and no text column can hold); else None."""
    found = sorted({ord(c) - 0xDC00 for c in address.addr_spec if "\udc80" <= c <= "\udcff"})
    if not found:
        return None
    shown = " ".join(f"0x{b:02X}" for b in found)
    return Rejection("bad-charset", f"{header} address holds bytes that are not UTF-8 ({shown})", CHARSET_FIX)


def _sender(values: list, notes: list[str]) -> str | Rejection:
    if not values:
        return Rejection("missing-from", "no From header")
    if len(values) > 1:
        return Rejection("duplicate-from", f"{len(values)} From headers")
    header = values[0]
    addresses = header.addresses
    if any(isinstance(d, _CHARSET_DEFECTS) for d in header.defects):
        notes.append("bad-charset")
    if not addresses:
        return Rejection("missing-from", "From header names nobody")
    if len(addresses) > 1:
        return Rejection("duplicate-from", f"From names {len(addresses)} addresses")
    if any(isinstance(d, errors.InvalidHeaderDefect) for d in header.defects) or not _valid(addresses[0]):
        return Rejection("bad-address", "From address cannot be parsed safely")
    return _not_utf8("From", addresses[0]) or addresses[0].addr_spec


def _date(values: list, notes: list[str]) -> datetime | Rejection:
    if not values:
        return Rejection("missing-date", "no Date header")
    if len(values) > 1:
        return Rejection("bad-date", f"{len(values)} Date headers")
    text = str(values[0])
    try:
        stamp = rfc_date(text)
        utc = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    except OverflowError:  # e.g. 31 Dec 9999 23:59 -0100, after year 9999 in UTC
        return _far_date(text)
    except (TypeError, ValueError, IndexError):
        parts = parsedate_tz(text)
        if parts is not None and not 1 <= parts[0] <= 9999:  # 2 Jan 12024
            return _far_date(text)
        return Rejection("bad-date", "Date cannot be parsed")
    if stamp.tzinfo is None:
        notes.append("naive-date")
    return utc


def rfc_date(text: str) -> datetime:
    """``email.utils.parsedate_to_datetime``, with the year read as RFC 5322 (§4.3) says.

    Python reads every year below 100 as two digits (00-68 as 20xx, 69-99 as 19xx), even
    one written with four (``0044``). Here a year written with four digits or more is that
    year; with two, 00-49 is 20xx and 50-99 19xx; with three, 1900 is added (RFC 5322:
    ``100`` is 2000, as programs that wrote the year less 1900 did). A year before 1 raises
    ``OverflowError``, like a time that leaves the calendar in UTC. Where the year's digits
    cannot be found as Python read them, Python's reading stands.

    Examples
    --------
    >>> [rfc_date(f"Mon, 1 Jan {y} 10:00:00 +0000").year for y in ("0044", "44", "55", "124", "2026")]
    [44, 2044, 1955, 2024, 2026]
    >>> rfc_date("Thu Jan  1 10:00:00 0001").isoformat()
    '0001-01-01T10:00:00'
    """
    parts, match = parsedate_tz(text), _WRITTEN_YEAR.search(text)
    if parts is None or match is None:
        return parsedate_to_datetime(text)
    group = 1 if match[1] is not None else 2
    written, value = match[group], int(match[group])
    year = value if len(written) >= 4 else value + 1900 if len(written) == 3 or value >= 50 else value + 2000
    if _read_by_python(value) != parts[0] or year == parts[0]:  # not the year Python read, or read alike
        return parsedate_to_datetime(text)
    if year < 1:
        raise OverflowError(f"year {written} is before year 1")
    start, end = match.span(group)
    # a year 2000 later has the same calendar (400 years divide 2000), so its day is valid alike
    same = str(year if year >= 100 else year + 2000)
    return parsedate_to_datetime(text[:start] + same + text[end:]).replace(year=year)


def _read_by_python(value: int) -> int:
    """The year ``email.utils.parsedate_tz`` makes of a year of ``value``, however many its digits."""
    return value if value >= 100 else value + (1900 if value > 68 else 2000)


def _far_date(text: str) -> Rejection:
    """A Date outside years 1 to 9999 in UTC: Python's times, and Spark's, end there; so do the exports'."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    return Rejection("bad-date", f'Date "{shown}" is not in years 1 to 9999 (UTC)', FAR_DATE_FIX)


def _recipients(message, notes: list[str]) -> tuple[list[tuple[str, str]], int] | Rejection:
    found: list[tuple[str, str]] = []
    total = 0
    for name, kind in RECIPIENT_HEADERS:
        for header in message.get_all(name) or ():
            if any(isinstance(d, _CHARSET_DEFECTS) for d in header.defects):
                notes.append("bad-charset")
            for address in header.addresses:
                total += 1
                if (undecodable := _not_utf8(name.capitalize(), address)) is not None:
                    return undecodable
                if _valid(address):
                    found.append((address.addr_spec, kind))
                else:
                    notes.append("bad-recipient")
            if not header.addresses and any(
                isinstance(d, errors.InvalidHeaderDefect) for d in header.defects
            ):
                notes.append("bad-recipient")
    return found, total


def parse_headers(raw: bytes) -> Headers | Rejection:
    """Parse one header block; a :class:`Rejection` when the message must be quarantined.

    Examples
    --------
    >>> raw = b"From: Al <a@x.org>\\nTo: b@x.org\\nCc: c@y.org\\nDate: Mon, 1 Jan 2001 10:00:00 +0100\\n"
    >>> h = parse_headers(raw)
    >>> h.sender, h.recipients, h.timestamp.isoformat()
    ('a@x.org', (('b@x.org', 'to'), ('c@y.org', 'cc')), '2001-01-01T09:00:00+00:00')
    >>> parse_headers(b"From: a@x.org\\nnot a header\\nDate: Mon, 1 Jan 2001 10:00:00 +0100\\n").code
    'malformed-header'
    """
    try:
        message = _PARSER.parsestr(raw.decode("utf-8", "surrogateescape"))
        if message.defects:
            names = ", ".join(sorted({type(d).__name__ for d in message.defects}))
            return Rejection("malformed-header", f"malformed header block ({names})")
        notes: list[str] = []
        sender = _sender(message.get_all("from") or [], notes)
        if isinstance(sender, Rejection):
            return sender
        stamp = _date(message.get_all("date") or [], notes)
        if isinstance(stamp, Rejection):
            return stamp
        listed = _recipients(message, notes)
        if isinstance(listed, Rejection):
            return listed
        recipients, total = listed
        message_id = message.get("message-id")
        if any(isinstance(d, _CHARSET_DEFECTS) for d in getattr(message_id, "defects", ())):
            notes.append("bad-charset")  # bytes not UTF-8 in the Message-ID: kept as U+FFFD
    except Exception as exc:  # noqa: BLE001 - the header parser has no documented error set
        return Rejection("malformed-header", f"header cannot be parsed ({type(exc).__name__})")
    mid = str(message_id).strip() if message_id is not None else ""
    if not mid.isascii() and (visible := visible_text(mid)) != mid:  # m1 and m1 + U+200B: one message
        notes.append("id-normalised")
        mid = visible
    if not mid:
        notes.append("missing-message-id")
    return Headers(sender, tuple(recipients), total, stamp, mid or None, tuple(notes))


def parse_address(text: str) -> Address | None:
    """The one address ``text`` holds, parsed by the header registry; None if unsafe.

    ``alice@riverside.example@evil.example`` is not an address (None); in
    ``"alice@evil.example"@riverside.example`` the local part is the quoted string.

    Examples
    --------
    >>> parse_address("alice@riverside.example@evil.example") is None
    True
    >>> a = parse_address('"alice@evil.example"@riverside.example')
    >>> a.username, a.domain
    ('alice@evil.example', 'riverside.example')
    """
    try:
        header = policy.default.header_factory("to", text)
        addresses = header.addresses
    except Exception:  # noqa: BLE001 - the header parser has no documented error set
        return None
    if len(addresses) != 1 or any(isinstance(d, errors.InvalidHeaderDefect) for d in header.defects):
        return None
    return addresses[0] if _valid(addresses[0]) else None


def is_internal(domain: str, internal_domains: Collection[str]) -> bool:
    """Whether ``domain`` is one of ``internal_domains`` or a subdomain of one."""
    domain = domain.lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in internal_domains)


def classify(text: str, resolver: Resolver, internal_domains: Collection[str]) -> tuple[str | None, str]:
    """``(person_id, status)`` for one address: status person, excluded, external, ambiguous, unknown or
    invalid.

    A value that is already a person id (an export keyed by employee number) resolves
    directly. Otherwise the address is parsed; outside ``internal_domains`` (when any are
    given) it is external; inside, it resolves through the roster's email/alias columns, and is
    ambiguous when they give it to two people (a shared mailbox: it names neither).
    Invisible format characters (a zero-width space, a soft hyphen) are removed first, as
    :func:`~leadnet.importers.identity.normalise_id` removes them from ids; a person found
    only so has status ``normalised``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = Resolver(pd.DataFrame({"person_id": ["7"], "email": ["alice@riverside.example"]}))
    >>> dom = ["riverside.example"]
    >>> texts = ["7", "Alice@Riverside.example", '"alice@evil.example"@riverside.example',
    ...          "alice@riverside.example@evil.example", "bob@evil.example", "alice\\x01@riverside.example"]
    >>> [classify(t, r, dom)[1] for t in texts]
    ['person', 'person', 'unknown', 'invalid', 'external', 'invalid']
    >>> classify("7", r, dom), classify("alice@riverside.example\u00ad", r, dom)
    (('7', 'person'), ('7', 'normalised'))
    >>> shared = Resolver(pd.DataFrame({"person_id": ["7", "8"], "email": ["team@riverside.example"] * 2}))
    >>> classify("Team@riverside.example", shared, dom)
    (None, 'ambiguous')
    """
    if _CONTROL.search(text):
        return None, "invalid"
    if not text.isascii() and (visible := visible_text(text)) != text:
        person, status = classify(visible, resolver, internal_domains)
        return person, "normalised" if status == "person" else status
    direct = resolver.resolve(text)
    if direct is not None and "@" not in text:
        return direct, "person"
    if "@" not in text and resolver.is_excluded(text):
        return None, "excluded"
    if "@" not in text and resolver.is_ambiguous(text):
        return None, "ambiguous"
    address = parse_address(text)
    if address is None:
        return None, "invalid"
    if resolver.is_excluded(address.addr_spec):  # opted out: their mail is counted as theirs, not unknown
        return None, "excluded"
    if internal_domains and not is_internal(address.domain, internal_domains):
        return None, "external"
    person = resolver.resolve(address.addr_spec)
    if person is None and resolver.is_ambiguous(address.addr_spec):
        return None, "ambiguous"
    return (person, "person") if person is not None else (None, "unknown")


def known_addresses(resolver: Resolver, internal_domains: Collection[str]) -> dict[str, str]:
    """The spellings :func:`classify` resolves to a person without parsing, for an SQL join.

    Person ids (no ``@``) and plain lower-case addresses (dot-atoms of letters, digits
    and ``_%+'-``) on an internal domain: for each, ``classify`` gives
    ``(person_id, "person")``. Importers join address texts to these keys as written (an
    exact match is a cheap hash probe); any other spelling (upper case, a display name,
    a quoted local part, another domain) is left to ``classify``, once per distinct text.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": ["7", "8"],
    ...                        "email": ["alice@riverside.example", "bob@partner.example"]})
    >>> known_addresses(Resolver(people), ["riverside.example"])
    {'7': '7', '8': '8', 'alice@riverside.example': '7'}
    """
    known = {}
    for key, pid in resolver.spellings().items():
        if (
            "@" not in key
            or PLAIN_ADDRESS.fullmatch(key)
            and (not internal_domains or is_internal(key.rsplit("@", 1)[1], internal_domains))
        ):
            known[key] = pid
    return known
