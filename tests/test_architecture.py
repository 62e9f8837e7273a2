"""The import direction of docs/architecture.md, enforced.

cli → pipeline → report → compare → analysis/importers/cohort →
metrics/communities/silos/privacy/permutation → model/config → errors.
A module may import from its own layer's package or from any lower layer, never upward.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "leadnet"

LAYERS = {
    "errors": 0,
    "model": 1,
    "config": 1,
    "privacy": 2,
    "metrics": 2,
    "communities": 2,
    "silos": 2.5,  # uses communities
    "bridging": 2.75,  # uses silos
    "samples": 2.5,  # uses traces
    "traces": 2,
    "permutation": 2,
    "cohort": 3,
    "churn": 3,
    "importers": 3,
    "analysis": 3,
    "compare": 4,
    "report": 5,
    "pipeline": 6,
    "cli": 7,
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
