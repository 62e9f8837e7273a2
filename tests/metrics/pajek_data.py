"""A minimal reader of the Pajek project files under tests/data (for tests only).

Reads ``*Vertices``, arcs (``*Arcs :r`` blocks with ``i j w`` lines, or one ``*arcs`` block
with ``r: i j w`` lines) and ``*Partition`` / ``*Vector`` blocks. Vertices are returned
1-based as in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import igraph as ig

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Pajek:
    n: int = 0
    arcs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    partitions: dict[str, list[int]] = field(default_factory=dict)


def read_pajek(path: Path) -> Pajek:
    out = Pajek()
    section, relation, name = "", 0, ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            words = line.split()
            head = words[0].lower()
            if head == "*vertices" and section not in ("partition", "vector"):
                out.n, section = int(words[1]), "vertices"
            elif head == "*arcs":
                section = "arcs"
                relation = int(words[1].lstrip(":")) if len(words) > 1 else 0
            elif head in ("*partition", "*vector"):
                section, name = head[1:], words[1]
                out.partitions[name] = []
            elif head == "*network":
                section = "network"
            continue
        if section == "arcs":
            if ":" in line.split()[0]:
                rel, rest = line.split(":", 1)
                i, j = rest.split()[:2]
                out.arcs.setdefault(int(rel), []).append((int(i), int(j)))
            else:
                i, j = line.split()[:2]
                out.arcs.setdefault(relation, []).append((int(i), int(j)))
        elif section in ("partition", "vector"):
            out.partitions[name].append(int(float(line)))
    return out


def krackhardt() -> Pajek:
    return read_pajek(DATA / "krackhardt_hightech" / "HighTech.paj")


def krackhardt_graph(relation: int) -> ig.Graph:
    """One relation of HighTech.paj (1 advice, 2 friendship, 3 reports-to) as a directed igraph
    graph; person k is vertex k - 1, named "k", every tie of strength 1."""
    net = krackhardt()
    graph = ig.Graph(n=net.n, edges=[(i - 1, j - 1) for i, j in net.arcs[relation]], directed=True)
    graph.vs["name"] = [str(k) for k in range(1, net.n + 1)]
    graph.es["weight"] = [1.0] * graph.ecount()
    return graph


def lazega() -> Pajek:
    return read_pajek(DATA / "lazega_lawfirm" / "Lazega-Law-Firm.paj")
