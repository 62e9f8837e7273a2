"""Synthetic digital traces (email + project membership) consistent with a synthetic organisation.

:func:`write_traces` writes, for a roster and its advice ties:

- ``mail_before.mbox``: January–March 2026 as an mbox (headers plus a one-line body);
- ``mail_after.csv``: April–June 2026 as a per-message CSV export
  (``from,to,cc,sent_at,message_id``);
- ``membership.csv``: dated project membership (``person,project,role,start,end,effort``).

Messages follow the advice ties: the advice seeker writes to the adviser a few times per
period (Poisson, at least ``min_messages = 2``), the adviser often replies, and some
messages copy a colleague of the same unit. Noise adds single messages between random
colleagues (below ``min_messages``, so they rarely make ties), a few messages to an
external partner, and all-staff broadcasts (above ``max_recipients``). A handful of bad
messages of every kind in QUALITY.md's email catalogue are planted (a body line starting
``From ``, a header line with no colon, an unknown RFC 2047 charset, missing and duplicate
From, bad and naive dates, a duplicate Message-ID, CVE-2023-27043-style addresses), few
enough to stay under the default 1% reject rate. Projects live inside units, a few span
two units, and one all-hands project exceeds ``max_project_size``.

``advice_ties`` has source and target person ids; with a ``period`` column (``before`` /
``after``) each file follows its own period's ties, otherwise both follow all of them.
``people`` needs person_id and unit; an ``email`` column is used when present (else
``<person_id>@riverside.example``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

DOMAIN = "riverside.example"
BEFORE_START = datetime(2026, 1, 5, tzinfo=UTC)
AFTER_START = datetime(2026, 4, 6, tzinfo=UTC)
PERIOD_DAYS = 84


def _emails(people: pd.DataFrame) -> np.ndarray:
    if "email" in people:
        return people["email"].astype(str).to_numpy()
    return (people["person_id"].astype(str) + "@" + DOMAIN).to_numpy()


def _messages(
    people: pd.DataFrame, ties: pd.DataFrame, rng: np.random.Generator, start: datetime
) -> pd.DataFrame:
    """One row per message: sender, to (list), cc (list), time; vectorised per kind."""
    emails = _emails(people)
    index = pd.Series(np.arange(len(people)), index=people["person_id"].astype(str))
    src = index.reindex(ties["source"].astype(str)).to_numpy()
    dst = index.reindex(ties["target"].astype(str)).to_numpy()
    ok = ~(np.isnan(src.astype(float)) | np.isnan(dst.astype(float)))
    src, dst = src[ok].astype(int), dst[ok].astype(int)
    asks = np.repeat(np.arange(len(src)), rng.poisson(2.5, len(src)) + 2)
    replies = asks[rng.random(len(asks)) < 0.6]
    senders = np.concatenate([src[asks], dst[replies], rng.integers(0, len(people), len(people))])
    targets = np.concatenate([dst[asks], src[replies], rng.integers(0, len(people), len(people))])
    keep = senders != targets
    senders, targets = senders[keep], targets[keep]
    units = people["unit"].astype(str).to_numpy()
    cc = rng.integers(0, len(people), len(senders))
    with_cc = (
        (rng.random(len(senders)) < 0.2) & (units[cc] == units[senders]) & (cc != senders) & (cc != targets)
    )
    seconds = rng.integers(0, PERIOD_DAYS * 86_400, len(senders))
    frame = pd.DataFrame(
        {
            "sender": emails[senders],
            "to": [[e] for e in emails[targets]],
            "cc": [[e] if c else [] for e, c in zip(emails[cc], with_cc, strict=True)],
            "time": [start + timedelta(seconds=int(s)) for s in seconds],
        }
    )
    return pd.concat([frame, _broadcasts(emails, rng, start)], ignore_index=True).sort_values(
        "time", kind="stable"
    )


def _broadcasts(emails: np.ndarray, rng: np.random.Generator, start: datetime) -> pd.DataFrame:
    """Three all-staff messages (also to an external partner): broadcasts, never ties."""
    chosen = rng.choice(len(emails), size=3, replace=False)
    everyone = [*emails.tolist(), "partners@partner.example"]
    return pd.DataFrame(
        {
            "sender": emails[chosen],
            "to": [[e for e in everyone if e != emails[c]] for c in chosen],
            "cc": [[] for _ in chosen],
            "time": [start + timedelta(days=7 * (i + 1), hours=9) for i in range(3)],
        }
    )


def _mbox_message(
    n: int, sender: str, to: list[str], cc: list[str], when: datetime, body: str = "..."
) -> str:
    head = [f"From: {sender}", f"To: {', '.join(to)}"]
    if cc:
        head.append(f"Cc: {', '.join(cc)}")
    head += [f"Date: {format_datetime(when)}", f"Message-ID: <t{n}@{DOMAIN}>", "Subject: (synthetic)"]
    return f"From {sender} {when.strftime('%a %b %d %H:%M:%S %Y')}\n" + "\n".join(head) + f"\n\n{body}\n\n"


def _planted_mbox(a: str, b: str, when: datetime) -> list[str]:
    """One bad or odd message of each catalogue kind (5 are quarantined)."""
    date = f"Date: {format_datetime(when)}"
    stamp = when.strftime("%a %b %d %H:%M:%S %Y")

    def raw(headers: str, body: str = "...") -> str:
        return f"From {a} {stamp}\n{headers}\n\n{body}\n\n"

    return [
        raw(
            f"From: {a}\nTo: {b}\n{date}\nMessage-ID: <p1@{DOMAIN}>",
            "From the desk of the director\n\nFrom now on",
        ),
        raw(f"From: {a}\nthis header line has no colon\nTo: {b}\n{date}"),
        raw(f"From: =?x-unknown?Q?Caf=E9?= <{a}>\nTo: {b}\n{date}\nMessage-ID: <p2@{DOMAIN}>"),
        raw(f"To: {b}\n{date}"),
        raw(f"From: {a}\nFrom: {b}\nTo: {b}\n{date}"),
        raw(f"From: {a}\nTo: {b}\nDate: the day after tomorrow"),
        raw(
            f"From: {a}\nTo: {b}\nDate: {when.strftime('%a, %d %b %Y %H:%M:%S')} -0000\n"
            f"Message-ID: <p3@{DOMAIN}>"
        ),
        raw(f"From: {a}\nTo: {b}\n{date}\nMessage-ID: <p3@{DOMAIN}>"),
        raw(f'From: "{a.split("@")[0]}@evil.example"@{DOMAIN}\nTo: {b}\n{date}\nMessage-ID: <p4@{DOMAIN}>'),
        raw(f"From: {a}@evil.example\nTo: {b}\n{date}\nMessage-ID: <p5@{DOMAIN}>"),
    ]


def _write_mbox(path: Path, messages: pd.DataFrame, planted: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for n, row in enumerate(messages.itertuples(index=False), start=1):
            handle.write(_mbox_message(n, row.sender, row.to, row.cc, row.time))
        handle.writelines(planted)


def _write_csv(path: Path, messages: pd.DataFrame, a: str, b: str) -> None:
    frame = pd.DataFrame(
        {
            "from": messages["sender"],
            "to": messages["to"].map(";".join),
            "cc": messages["cc"].map(";".join),
            "sent_at": [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in messages["time"]],
            "message_id": [f"<a{n}@{DOMAIN}>" for n in range(1, len(messages) + 1)],
        }
    )
    bad = pd.DataFrame(
        {
            "from": ["", a, a],
            "to": [b, b, b],
            "cc": ["", "", ""],
            "sent_at": ["2026-05-04T10:00:00Z", "not a date", "2026-05-04 10:00:00"],
            "message_id": ["<bad1@x>", "<bad2@x>", "<naive@x>"],
        }
    )
    pd.concat([frame, bad], ignore_index=True).to_csv(path, index=False, lineterminator="\n")


def _membership(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    ids = people["person_id"].astype(str).to_numpy()
    for unit, members in people.groupby("unit", sort=True)["person_id"]:
        order = rng.permutation(members.astype(str).to_numpy())
        for k, group in enumerate(np.array_split(order, max(1, len(order) // 5))):
            start = BEFORE_START + timedelta(days=int(rng.integers(0, 120)))
            end = start + timedelta(days=int(rng.integers(30, 150)))
            rows += [
                (
                    p,
                    f"{unit}-project-{k + 1}",
                    "lead" if i == 0 else "member",
                    start.date(),
                    end.date(),
                    round(float(rng.uniform(0.1, 0.5)), 2),
                )
                for i, p in enumerate(group)
            ]
    for k in range(3):
        for p in rng.choice(ids, size=min(6, len(ids)), replace=False):
            rows.append((p, f"cross-unit-{k + 1}", "member", BEFORE_START.date(), None, 0.1))
    rows += [(p, "all-hands", "member", None, None, None) for p in ids]
    return pd.DataFrame(rows, columns=["person", "project", "role", "start", "end", "effort"])


def write_traces(
    people: pd.DataFrame, advice_ties: pd.DataFrame, out: Path, *, seed: int
) -> tuple[Path, ...]:
    """Write ``mail_before.mbox``, ``mail_after.csv`` and ``membership.csv`` into ``out``.

    Examples
    --------
    >>> import tempfile
    >>> people = pd.DataFrame({"person_id": list("abcdef"), "unit": list("xxxyyy")})
    >>> ties = pd.DataFrame({"source": ["a", "b", "d"], "target": ["b", "c", "a"]})
    >>> [p.name for p in write_traces(people, ties, Path(tempfile.mkdtemp()), seed=0)]
    ['mail_before.mbox', 'mail_after.csv', 'membership.csv']
    """
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    emails = _emails(people)
    a, b = emails[0], emails[min(1, len(emails) - 1)]
    paths = (out / "mail_before.mbox", out / "mail_after.csv", out / "membership.csv")
    for path, start in ((paths[0], BEFORE_START), (paths[1], AFTER_START)):
        period = "before" if path is paths[0] else "after"
        ties = advice_ties[advice_ties["period"] == period] if "period" in advice_ties else advice_ties
        messages = _messages(people, ties, rng, start)
        if path is paths[0]:
            _write_mbox(path, messages, _planted_mbox(a, b, start + timedelta(days=30)))
        else:
            _write_csv(path, messages, a, b)
    _membership(people, rng).to_csv(paths[2], index=False, lineterminator="\n")
    return paths
