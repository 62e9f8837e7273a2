import pandas as pd

from leadnet.report.tables import frame_table


def test_a_unit_p_value_below_0_001_shows_as_less_than_not_as_zero() -> None:
    units = pd.DataFrame({"unit": ["Lab"], "ei_index": [-0.8], "ei_p_value": [9.999e-05]})
    assert frame_table(units, {}).rows == (("Lab", "-0.800", "<0.001"),)
