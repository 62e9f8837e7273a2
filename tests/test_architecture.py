"""The import direction of docs/architecture.md, enforced.

cli → pipeline → output_folder/wave_folders → report → compare/validation →
cohort_file/people_change/transitions → analysis/importers/cohort → metrics/communities/silos/permutation →
privacy → overrides → windows → model/config → parameters/snapshot_names/paths → partitions →
edges/groups/multiple_testing → errors.
A module may import from its own layer's package or from any lower layer, never upward.
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "leadnet"

LAYERS = {
    "errors": 0,
    "model": 1,
    "edges": 0.75,  # a graph's edge array, shared by the graph algorithms and model's to_igraph
    "groups": 0.75,  # group labels as codes, unknown groups: metrics, silos, bridging, compare, reports
    "nonresponse": 0.75,  # survey non-respondents by relation: model, the importers, analysis
    "multiple_testing": 0.75,  # Holm's adjusted p-values: silos and gatekeeping
    "partitions": 0.8,  # NMI/ARI of two partitions (uses groups): roster communities, transitions
    "config": 1,
    "overrides": 1.1,  # command-line flags over a Config: cli
    "windows": 1.05,  # sources' windows, snapshots' periods, --from/--to over them: overrides, importers
    "toml_types": 0.5,  # config's type checks
    "near_names": 0.4,  # a name's "did you mean" (closest), which rule serves which input: toml_types, schema
    "near_ids": 0.5,  # ids written two ways: importers, cohort
    "addresses": 0.3,  # which ids are addresses: identity (casefolding), privacy (warning), report (codes)
    "invisible": 0.2,  # characters that do not show as themselves: identity, messages, CSV/XLSX cells
    "schema": 0.6,  # column roles, source options and ranges: config and the importers
    "parameters": 0.8,  # [analysis], its ranges and the privacy floor: config and compare
    "sources": 0.9,  # a [[sources]] entry and its checks: config
    "snapshot_names": 0.7,  # safe snapshot (folder) names: config
    "paths": 0.7,  # located: config, cli and the importers
    "privacy": 1.5,  # group-size rules, shared by metrics, silos and the reports
    "metrics": 2,
    "communities": 2,
    "community_table": 1.9,  # the communities table: re-exported by communities
    "undirected": 1.8,  # the collapsed undirected graph: communities, silos, bridging
    "silos": 2.5,  # uses communities
    "bridging": 2.75,  # uses silos
    "samples": 2.5,  # uses traces
    "traces": 2,
    "permutation": 2,
    "group_differences": 1.9,  # difference of means, its p-value and CI: re-exported by permutation
    "gatekeeping": 1.95,  # how the DiDs are judged (primary, then Holm): compare and the report
    "permutation_counts": 1.8,  # how many permutations, in what blocks: permutation, group_differences
    "cohort": 3,
    "cohort_ties": 2.95,  # participants' new ties to each other, shuffled within units: compare
    "cohort_members": 2.9,  # who is in the cohort: its table's rows checked, each stayer's group
    "cohort_file": 3.5,  # the cohort file: cohort's checks on a table importers read
    "churn": 3,
    "importers": 3,
    "analysis": 3,
    "summary_reasons": 2.9,  # why a summary figure is null: analysis
    "roster_communities": 2.85,  # communities among the roster's people (no pooled outside world): analysis
    "people_change": 3.5,  # compare's people: alignment, person metrics, people_change
    "transitions": 3.5,  # compare's community transitions
    "comparability": 3.5,  # compare's snapshots record and comparability warnings
    "compared_waves": 3.6,  # compare's refusals: a wave without the relation, waves the wrong way round
    "comparison_cautions": 3.6,  # compare's cautions: too few permutations, cohort withheld, people lost
    "spellings": 0.5,  # a value written another way: a relation's "did you mean"
    "missing_relation": 1.2,  # what a snapshot holds instead of a relation: summary_reasons, compared_waves
    "comparison_method": 3.75,  # compare's method record
    "compare": 4,
    "validation": 4,  # leadnet validate: importers' reading, then the cohort file
    "report": 5,
    "output_folder": 5.5,  # the --out folder: what it may hold, built and replaced whole: pipeline
    "wave_folders": 5.5,  # compare's BEFORE and AFTER folders, checked; what they recorded: pipeline
    "pipeline": 6,
    "cli": 7,
    "console": 6.9,  # what a command prints besides its results: errors, warnings, progress
    "__main__": 8,
    "__init__": 8,
}


def concept(module_path: Path) -> str:
    parts = module_path.relative_to(SRC).with_suffix("").parts
    return parts[0]


def leadnet_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("leadnet"):
            parts = node.module.split(".")
            if len(parts) == 1:  # from leadnet import x
                found.update(alias.name for alias in node.names)
            else:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("leadnet."):
                    found.add(alias.name.split(".")[1])
    return found


MODULES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_flow_one_way(path: Path) -> None:
    own = concept(path)
    if own == "__init__":
        return
    assert own in LAYERS, f"{path.name}: add its concept to LAYERS and docs/architecture.md"
    for target in leadnet_imports(path):
        if target == "__version__" or target == own:
            continue
        assert target in LAYERS, f"{path.name} imports unknown concept {target}"
        assert LAYERS[target] < LAYERS[own], (
            f"{path.relative_to(SRC)} (layer {LAYERS[own]}) imports {target} (layer {LAYERS[target]}): "
            "imports must flow down the layers of docs/architecture.md"
        )


# --- the module map of docs/architecture.md matches the code ------------------------------------

MAP = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def module_name(path: Path) -> str:
    """``importers.tables`` for src/leadnet/importers/tables.py, ``importers`` for its __init__."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(p) for p in MODULES}


def imported_modules(path: Path) -> set[str]:
    """Every leadnet module ``path`` imports (top level or in a function), most specific first."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]

    def known(dotted: str) -> str:
        parts = dotted.split(".")
        while parts and ".".join(parts) not in NAMES:
            parts.pop()
        return ".".join(parts)

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {
                known(a.name.removeprefix("leadnet.")) for a in node.names if a.name.startswith("leadnet.")
            }
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "leadnet" or (node.module or "").startswith("leadnet."):
                module = node.module.removeprefix("leadnet").removeprefix(".")
            else:
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}".strip(".")
                found.add(full if full in NAMES else (known(module) if module else "__version__"))
    return found - {me}


def map_rows() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for line in MAP.read_text(encoding="utf-8").split("## Modules", 1)[1].splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        path = re.match(r"`([^`]+)`", cells[0]).group(1)  # the row's first path names its module
        module = module_name(SRC / path)
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        deps = set()
        for name in re.sub(r"\([^)]*\)", "", cells[2]).split(","):
            name = name.strip().strip("`")
            if name in ("", "—"):
                continue
            local = f"{package}.{name}" if package else name
            deps.add(local if local in NAMES else name)
        rows[module] = deps
    return rows


def test_the_module_map_has_one_row_per_module_listing_exactly_its_imports() -> None:
    rows = map_rows()
    assert sorted(NAMES - set(rows)) == [], "modules without a row in docs/architecture.md"
    assert sorted(set(rows) - NAMES) == [], "rows for modules that no longer exist"
    wrong = {
        name: {
            "map only": sorted(rows[name] - imported_modules(path)),
            "code only": sorted(imported_modules(path) - rows[name]),
        }
        for path in MODULES
        if rows[(name := module_name(path))] != imported_modules(path)
    }
    assert wrong == {}, "fix the 'depends on' column of docs/architecture.md"
