"""leadnet.groups: group codes with unknown groups, and the roster's blank units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadnet.groups import UNKNOWN, group_codes, unit_labels, unknown_groups


def test_a_missing_label_is_an_unknown_group_never_one_more_group() -> None:
    labels, codes = group_codes(np.array(["B", None, "A", float("nan"), "B"], dtype=object))
    assert labels == ["A", "B"]
    assert codes.tolist() == [1, UNKNOWN, 0, UNKNOWN, 1]


def test_negative_integer_codes_are_unknown_as_pandas_factorize_marks_them() -> None:
    codes, _ = pd.factorize(pd.Series(["u", None, "v"]), sort=True)
    assert unknown_groups(codes).tolist() == [False, True, False]
    assert group_codes(np.array([10, 2, -1, 2]))[1].tolist() == [1, 0, UNKNOWN, 0]


def test_a_blank_roster_unit_is_unknown_only_where_someone_has_a_unit() -> None:
    assert unit_labels(pd.Series(["Lab", "", "Lab"])).tolist() == ["Lab", None, "Lab"]
    # a roster without units is one organisation-wide unit, as before
    assert unit_labels(pd.Series(["", "", ""])).tolist() == ["", "", ""]
