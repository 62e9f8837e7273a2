import re

import pandas as pd

from leadnet.report.charts import cell_text, forest_chart, heatmap_chart, lorenz_chart


def test_charts_are_images_with_a_text_alternative() -> None:
    blocks = pd.DataFrame([[0.5, 0.1], [0.2, 0.4]], index=["A", "B"], columns=["A", "B"])
    forest = forest_chart(["Ties"], [1.0], [0.5], [1.5])
    for chart in (lorenz_chart([0, 2, 1]), heatmap_chart(blocks), forest):
        assert chart.svg is not None
        opening = chart.svg.split(">", 1)[0]
        assert 'role="img"' in opening
        assert re.search(r'aria-label="[^"]{20,}"', opening)


def test_heatmap_cells_keep_small_densities_apart_from_zero() -> None:
    assert cell_text(0.0014) == "0.001"
    assert cell_text(0.0) == "0"


def test_heatmap_text_on_the_darkest_cells_is_white() -> None:
    blocks = pd.DataFrame([[0.9, 0.0], [0.0, 0.05]], index=["A", "B"], columns=["A", "B"])
    svg = heatmap_chart(blocks).svg or ""
    dark = re.search(r'<text[^>]*style="[^"]*fill: ?#ffffff[^"]*"[^>]*>0\.900</text>', svg)
    assert dark is not None
