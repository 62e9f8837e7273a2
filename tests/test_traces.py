"""Synthetic traces: the files import cleanly, follow the advice ties and show the quarantine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadnet.importers.email import load_email
from leadnet.importers.email_exports import ExportLayout
from leadnet.importers.identity import Resolver
from leadnet.importers.membership import load_membership
from leadnet.traces import write_traces


@pytest.fixture(scope="module")
def organisation() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(1)
    n = 120
    people = pd.DataFrame(
        {"person_id": [f"E{i:03d}" for i in range(n)], "unit": [f"unit{i % 6}" for i in range(n)]}
    ).assign(email=lambda f: f["person_id"].str.lower() + "@riverside.example")
    src, dst = rng.integers(0, n, 400), rng.integers(0, n, 400)
    keep = src != dst
    ties = pd.DataFrame(
        {
            "source": people["person_id"].to_numpy()[src[keep]],
            "target": people["person_id"].to_numpy()[dst[keep]],
        }
    ).drop_duplicates()
    return people, ties


def test_traces_are_deterministic_for_a_seed(tmp_path: Path, organisation) -> None:
    people, ties = organisation
    first = write_traces(people, ties, tmp_path / "a", seed=3)
    second = write_traces(people, ties, tmp_path / "b", seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_mailbox_follows_advice_ties_and_stays_under_one_percent_rejected(
    tmp_path: Path, organisation
) -> None:
    people, ties = organisation
    mbox, csv, membership = write_traces(people, ties, tmp_path, seed=0)
    resolver = Resolver(people)
    before = load_email(mbox, resolver, internal_domains=["riverside.example"])
    record = before.record
    assert sorted({i.code for i in before.issues}) == [
        "bad-address",
        "bad-date",
        "duplicate-from",
        "malformed-header",
        "missing-from",
    ]
    assert record.rows_rejected == 5 and record.rows_rejected / record.rows_read < 0.01
    assert {"broadcast", "bad-charset", "naive-date", "duplicate-message-id"} <= set(before.normalisations)
    email_pairs = set(map(tuple, before.ties[["source", "target"]].values))
    advice_pairs = set(map(tuple, ties.values))
    assert len(email_pairs & advice_pairs) / len(advice_pairs) > 0.9

    layout = ExportLayout(
        {"sender": "from", "recipients": "to", "cc": "cc", "timestamp": "sent_at", "message_id": "message_id"}
    )
    after = load_email(csv, resolver, layout=layout, internal_domains=["riverside.example"])
    assert [i.code for i in after.issues] == ["missing-from", "bad-date"]
    assert after.record.rows_rejected / after.record.rows_read < 0.01

    members = load_membership(membership, resolver)
    assert members.issues == ()
    assert members.normalisations["large-project"] == 1
