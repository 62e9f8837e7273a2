"""Write people.csv and survey.csv from HighTech.paj (run once; outputs are committed).

people.csv: person_id "1".."21" (Pajek vertex vN), unit = Department ("0" for the CEO),
level = Level (1 = CEO, 2 = vice-president, 3 = manager), manager_id from the
``reports_to`` arcs (i -> j: i reports to j).

survey.csv: respondent, nominee, question. ``advice`` arc i -> j means i goes to j for
advice (see PROVENANCE.md: the Pajek label ``gives_advice_to`` is misleading);
``friendship`` arc i -> j means i names j as a friend.

Usage: python tests/data/krackhardt_hightech/make_csv.py
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
RELATIONS = {"1": "advice", "2": "friendship", "3": "reports_to"}


def read_pajek(path: Path) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
    """Arcs per relation name and partitions (Department, Level) in vertex order."""
    arcs: dict[str, list[tuple[str, str]]] = {}
    partitions: dict[str, list[str]] = {}
    section: tuple[str, str] | None = None
    for raw in path.read_text(encoding="ascii").splitlines():
        line = raw.strip()
        if line.startswith("*Arcs"):
            section = ("arcs", RELATIONS[line.split(":")[1].split()[0]])
        elif line.startswith("*Partition"):
            section = ("partition", line.split()[1])
        elif line.startswith("*Vertices") and section and section[0] == "partition":
            continue
        elif line.startswith("*"):
            section = None
        elif line and section and section[0] == "arcs":
            i, j, _ = line.split()
            arcs.setdefault(section[1], []).append((i, j))
        elif line and section and section[0] == "partition":
            partitions.setdefault(section[1], []).append(line)
    return arcs, partitions


def main() -> None:
    arcs, partitions = read_pajek(HERE / "HighTech.paj")
    manager = dict(arcs["reports_to"])
    with (HERE / "people.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["person_id", "unit", "level", "manager_id"])
        for k, (unit, level) in enumerate(zip(partitions["Department"], partitions["Level"], strict=True), 1):
            writer.writerow([str(k), unit, level, manager.get(str(k), "")])
    with (HERE / "survey.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["respondent", "nominee", "question"])
        for relation in ("advice", "friendship"):
            for i, j in arcs[relation]:
                writer.writerow([i, j, relation])


if __name__ == "__main__":
    main()
