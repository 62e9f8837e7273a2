"""Two analysed waves of a small organisation and their real Comparison (analyse() + compare()).

Four units of ten people; in each unit everyone asks the next person (a ring). After the
programme, each cohort member also asks one person in the next unit; the comparison
group changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from leadnet.analysis import Analysis, analyse
from leadnet.compare import Comparison, compare
from leadnet.config import AnalysisSection, ProjectSection
from leadnet.model import InputRecord, Period, Provenance, Snapshot

UNITS = ("Surgery", "Lab", "Finance", "Estates")
SHA_BEFORE = "b" * 64
SHA_AFTER = "a" * 64


def people(units: Sequence[str] = UNITS, size: int = 10, names: Sequence[str] | None = None) -> pd.DataFrame:
    ids = [f"p{u}{i:02d}" for u in range(len(units)) for i in range(size)]
    frame = pd.DataFrame(
        {"person_id": ids, "unit": [units[u] for u in range(len(units)) for _ in range(size)]}
    )
    if names is not None:
        frame["name"] = [names[i % len(names)] for i in range(len(ids))]
    return frame


def waves(roster: pd.DataFrame, cohort: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ring ties inside each unit before; after, each cohort member adds a tie to the next unit."""
    rows = []
    for _, members in roster.groupby("unit", sort=False):
        ids = members["person_id"].tolist()
        rows += [(p, ids[(i + 1) % len(ids)]) for i, p in enumerate(ids)]
    before = pd.DataFrame(rows, columns=["source", "target"])
    ids = roster["person_id"].tolist()
    extra = [(p, ids[(ids.index(p) + 10) % len(ids)]) for p in cohort]
    after = pd.concat([before, pd.DataFrame(extra, columns=["source", "target"])], ignore_index=True)
    return before.assign(relation="advice", weight=1.0), after.assign(relation="advice", weight=1.0)


def snapshot(name: str, roster: pd.DataFrame, ties: pd.DataFrame, sha: str) -> Snapshot:
    record = InputRecord(f"survey_{name}.csv", "survey", sha, len(ties), len(ties), 0)
    return Snapshot.build(name, roster, ties, period=Period(), provenance=Provenance(inputs=(record,)))


def compare_listed(roster: pd.DataFrame, cohort: Sequence[str]) -> tuple[Comparison, Analysis, Analysis]:
    """The comparison of two waves where ``cohort`` takes part (everyone else is the comparison group)."""
    ties_before, ties_after = waves(roster, cohort)
    settings = AnalysisSection(permutations=0)
    project = ProjectSection(name="riverside", purpose="Evaluate the 2026 leadership academy")
    before = analyse(snapshot("before", roster, ties_before, SHA_BEFORE), settings, project)
    after = analyse(snapshot("after", roster, ties_after, SHA_AFTER), settings, project)
    listed = pd.DataFrame({"person_id": list(cohort), "group": "cohort"})
    return compare(before, after, listed, permutations=99, seed=0), before, after


def programme(
    cohort_size: int = 10,
    *,
    roster: pd.DataFrame | None = None,
    jumble: bool = False,
    permutations: int = 199,
) -> tuple[Comparison, Analysis, Analysis]:
    """The comparison of two waves; the first ``cohort_size`` people of each unit take part."""
    roster = people() if roster is None else roster
    cohort = roster.groupby("unit", sort=False)["person_id"].apply(list).explode().tolist()[:cohort_size]
    ties_before, ties_after = waves(roster, cohort)
    if jumble:  # a different network after: Jaccard well below 0.3
        ties_after = ties_after.assign(target=ties_after["target"].to_numpy()[::-1])
        ties_after = ties_after[ties_after["source"] != ties_after["target"]]
    settings = AnalysisSection(permutations=0)
    project = ProjectSection(name="riverside", purpose="Evaluate the 2026 leadership academy")
    before = analyse(snapshot("before", roster, ties_before, SHA_BEFORE), settings, project)
    after = analyse(snapshot("after", roster, ties_after, SHA_AFTER), settings, project)
    listed = pd.DataFrame({"person_id": cohort, "group": "cohort"})
    return compare(before, after, listed, permutations=permutations, seed=0), before, after
