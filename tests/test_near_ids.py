"""An id written another way (letter case, punctuation, leading zeros) is met with one wording wherever a
message names the id meant, or says, where no id may be named, that a roster spelling is like it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from leadnet.cohort_file import read_cohort
from leadnet.cohort_members import OptOuts, unknown_hint
from leadnet.errors import InputError
from leadnet.importers.exclusions import check_exclusions, load_exclusions
from leadnet.importers.identity import UNREAD_OPT_OUTS, Resolver
from leadnet.importers.people import load_people
from leadnet.near_ids import nearest

ZEROS = (
    'did you mean "00001"? Its leading zeros are missing, as when a spreadsheet reads ids as numbers: keep '
    "the column as text"
)
NEAR = (
    "a roster id, e-mail address or alias differs from it only in letter case, punctuation or leading zeros"
)


def manager_hints(folder: Path, roster: str, unsuggested: str | None = None) -> list[str | None]:
    path = folder / "people.csv"
    path.write_text(roster, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        people = load_people(path, {"manager_id": "manager"}, unsuggested=unsuggested)
    return [issue.hint for issue in people.issues]


def test_an_id_whose_leading_zeros_were_dropped_is_named_alike_in_a_source_a_cohort_and_a_roster(
    tmp_path: Path,
) -> None:
    # The manager's hint went on in lower case after the question ('did you mean "00001"? left as it is')
    # and put the zeros' note after a full stop the others did not have.
    assert Resolver(pd.DataFrame({"person_id": ["00001"]})).explain("1")[2] == ZEROS
    assert unknown_hint("1", ["00001", "00002"], 0) == ZEROS
    assert manager_hints(tmp_path, "person_id,manager\n00001,\n00002,1\n") == [
        'did you mean "00001"? Left as it is, "00001" would not be this person\'s manager. Its leading zeros '
        "are missing, as when a spreadsheet reads ids as numbers: keep the column as text"
    ]


def test_a_near_miss_no_id_may_be_named_for_is_worded_alike_for_a_manager_and_an_opt_out(
    tmp_path: Path,
) -> None:
    # The manager's said "a roster id differs from it only ...", the opt-out line's "a roster id or e-mail
    # address differs from it only ...": both fold every spelling the roster gives, aliases too.
    roster = "person_id,manager\nE0166,\nE0040,E166\n"
    assert manager_hints(tmp_path, roster, UNREAD_OPT_OUTS) == [f"{NEAR}: correct it; {UNREAD_OPT_OUTS}"]
    opt_outs_path = tmp_path / "optout.csv"
    opt_outs_path.write_text("person_id\nE166\n", encoding="utf-8")
    opt_outs = load_exclusions(opt_outs_path)
    people = load_people(tmp_path / "people.csv", {"manager_id": "manager"}, exclude=opt_outs)
    assert [issue.detail for issue in check_exclusions(opt_outs, people)] == [
        f"the id matches nobody on the roster, but {NEAR}"
    ]


def test_a_short_id_mistyped_in_one_digit_is_offered_the_id_meant() -> None:
    # Short ids differ by a larger share of their letters: "E19" and "E18" are 0.67 alike, under the 0.7
    # of a name but over the 0.6 of an id (ID_CUTOFF), so the id typed one digit wrong is still named.
    roster = {pid: pid for pid in ["E18", "X77", "Q5"]}
    assert (nearest("E19", roster), nearest("Z99", roster)) == ("E18", None)


UNNAMED_FOLD = (
    "a roster id, e-mail address or alias differs from it only in letter case, punctuation or leading zeros: "
    "check it against the roster and write it as the roster does"
)


def test_a_cohort_id_like_that_of_someone_who_opted_out_names_no_one_else(tmp_path: Path) -> None:
    # A review: with E0005 opted out, "E005" got 'did you mean "E0505"?' (E0005 folds alike, so the search
    # went on to someone else), and "E0O06" got "E0506" (as alike as E0006 to difflib, and later in order).
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,group\nE0006,cohort\nE005,cohort\nE0O06,comparison\nE0507,cohort\n", "utf-8")
    known = {"E0006", "E0505", "E0506", "E0508"}
    with pytest.raises(InputError) as raised:
        read_cohort(path, known=known, opt_outs=OptOuts(1, frozenset({"E0005", "E0509"})))
    assert str(raised.value).splitlines()[1:] == [
        f'cohort.csv line 3, column "person_id": unknown person "E005" ({UNNAMED_FOLD}) [unknown-person]',
        'cohort.csv line 4, column "person_id": unknown person "E0O06" (did you mean "E0006"?) '
        "[unknown-person]",
        'cohort.csv line 5, column "person_id": unknown person "E0507" (a roster id, e-mail address or alias '
        "is much like it: check it against the roster and write it as the roster does) [unknown-person]",
    ]


def test_a_survey_nominee_like_someone_who_opted_out_names_no_one_else(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person_id\nE0005\nE0505\nE0006\n", encoding="utf-8")
    resolver = load_people(path, exclude=["E0005"]).resolver()
    assert resolver.explain("E005") == ("unknown-person", 'unknown person "E005"', UNNAMED_FOLD)
    assert resolver.explain("E0O05") == ("unknown-person", 'unknown person "E0O05"', UNNAMED_FOLD)
