"""One rule says which person ids are e-mail addresses: the ids casefolded are the ids the warning
counts; the report's wider rule (any ``@``) shows codes for them and for ids that may name someone."""

import pandas as pd

from leadnet.importers.identity import normalise_id
from leadnet.privacy import address_ids
from leadnet.report.views import person_labels

IDS = ["Ann@Corp.Example", "Team@3", "Bo@Corp..Example", "Cy@.Corp.Example", "Di@Corp.Example.", "@Mei"]


def test_the_ids_casefolded_are_the_ids_the_warning_counts_as_addresses() -> None:
    # identity casefolded "Bo@Corp..Example" and the two after it (any dot in the domain), which the
    # warning did not count as addresses: one id, two answers.
    assert [normalise_id(i) for i in IDS] == [
        "ann@corp.example", "Team@3", "Bo@Corp..Example", "Cy@.Corp.Example", "Di@Corp.Example.", "@Mei",
    ]  # fmt: skip
    assert address_ids(IDS) == (1, 6)
    assert [address_ids([i]) == (1, 1) for i in IDS] == [normalise_id(i) != i for i in IDS]


def test_the_report_shows_codes_for_an_id_holding_an_at_sign_that_is_no_address() -> None:
    people = pd.DataFrame({"person_id": ["E2", "@mei"]})
    assert person_labels(people, show_names=False).to_dict() == {"E2": "P2", "@mei": "P1"}
