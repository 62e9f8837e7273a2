"""The --out folder: what an existing one may hold to be replaced, and the replacement all at once."""

import json
from pathlib import Path

import pytest

from leadnet.output_folder import foreign_entries, write_atomically

SUMMARY = json.dumps({"n_people": 3, "provenance": {"leadnet_version": "0.1.0"}})
COMPARISON = json.dumps({"n_stayed": 3, "ties_before": 2})


def analyse_output(folder: Path) -> Path:
    """One snapshot's output, as leadnet writes it (its files' contents aside)."""
    (folder / "snapshot").mkdir(parents=True)
    (folder / "summary.json").write_text(SUMMARY, encoding="utf-8")
    for name in ("index.html", "people.csv", "units.csv", "communities.csv", "ties.csv", "rejected.csv"):
        (folder / name).write_text("x", encoding="utf-8")
    for name in ("snapshot.json", "people.parquet", "ties.parquet", "rejected.parquet"):
        (folder / "snapshot" / name).write_text("x", encoding="utf-8")
    return folder


def comparison_output(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "comparison.json").write_text(COMPARISON, encoding="utf-8")
    (folder / "people_change.csv").write_text("x", encoding="utf-8")
    (folder / "index.html").write_text("x", encoding="utf-8")
    return folder


def test_an_output_of_each_command_is_that_commands_to_replace_and_not_the_others(tmp_path: Path) -> None:
    one = analyse_output(tmp_path / "one")
    waves = tmp_path / "waves"
    for name in ("before", "after", "snapshot"):  # "snapshot" may name a snapshot too
        analyse_output(waves / name)
    comparison_output(waves / "comparison")
    compared = comparison_output(tmp_path / "compared")
    (tmp_path / "empty").mkdir()
    assert [foreign_entries(f, "analyse") for f in (one, waves, tmp_path / "empty")] == [[], [], []]
    assert foreign_entries(compared, "compare") == foreign_entries(tmp_path / "empty", "compare") == []
    assert foreign_entries(compared, "analyse") == ["comparison.json", "index.html", "people_change.csv"]
    assert foreign_entries(waves, "compare") == ["after/", "before/", "comparison/", "snapshot/"]


def test_what_a_file_manager_leaves_is_replaced_and_anything_else_named(tmp_path: Path) -> None:
    out = analyse_output(tmp_path / "out")
    (out / ".DS_Store").write_text("x", encoding="utf-8")
    (out / "snapshot" / "Thumbs.db").write_text("x", encoding="utf-8")
    assert foreign_entries(out, "analyse") == []
    (out / ".hidden").write_text("x", encoding="utf-8")
    (out / "link.csv").symlink_to(out / "people.csv")  # leadnet writes no links
    (out / "snapshot" / "extra").mkdir()
    assert foreign_entries(out, "analyse") == [".hidden", "link.csv", "snapshot/extra/"]


def test_only_a_runs_own_hidden_folders_are_left_to_replace(tmp_path: Path) -> None:
    # A review: any folder named .leadnet-* was taken for a stopped run's and deleted with the rest.
    out = analyse_output(tmp_path / "out")
    (out / ".leadnet-old-ab12_x9z").mkdir()  # as mkdtemp names a run's
    assert foreign_entries(out, "analyse") == []
    (out / ".leadnet-notes").mkdir()
    (out / ".leadnet-new-toolongname").mkdir()
    assert foreign_entries(out, "analyse") == [".leadnet-new-toolongname/", ".leadnet-notes/"]


def test_a_sub_folder_is_a_snapshot_only_beside_a_summary_leadnet_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyse_output(out / "before")
    (out / "data").mkdir()
    (out / "data" / "people.csv").write_text("an HR roster", encoding="utf-8")  # an input, named alike
    (out / "data" / "ties.csv").write_text("source,target", encoding="utf-8")
    comparison_output(out / "comparison")
    (out / "comparison" / "notes.txt").write_text("x", encoding="utf-8")
    assert foreign_entries(out, "analyse") == ["comparison/notes.txt", "data/"]
    (out / "before" / "summary.json").write_text('{"provenance": {}}', encoding="utf-8")
    assert foreign_entries(out, "analyse") == ["before/", "comparison/notes.txt", "data/"]


def test_a_failed_write_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "summary.json").write_text(SUMMARY, encoding="utf-8")

    def fail_half_way(staging: Path) -> None:
        (staging / "summary.json").write_text("new", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(out, "analyse", fail_half_way)
    assert (out / "summary.json").read_text(encoding="utf-8") == SUMMARY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_failed_first_write_creates_nothing(tmp_path: Path) -> None:
    def fail(staging: Path) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "new", "analyse", fail)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stage", ["old", "new"])
def test_a_run_killed_mid_swap_leaves_a_folder_the_next_run_replaces(tmp_path: Path, stage: str) -> None:
    # A review: killed between moving the old entries aside and the new ones in (summary.json last),
    # --out held leadnet's files without a summary.json, and every later run refused them.
    out = tmp_path / "out"
    run = analyse_output(out / f".leadnet-{stage}-k1ll3d_x")  # the whole report, moved aside or staged
    for name in ("people.csv", "rejected.csv", "communities.csv"):
        (run / name).rename(out / name)
    assert foreign_entries(out, "analyse") == []
    (run / "summary.json").unlink()  # no run's report: the files are named as before
    assert foreign_entries(out, "analyse") == ["communities.csv", "people.csv", "rejected.csv"]
    compared = comparison_output(tmp_path / "compared")
    half = comparison_output(compared / ".leadnet-old-k1ll3d_y")
    (half / "people_change.csv").rename(compared / "people_change.csv")
    (compared / "comparison.json").unlink()
    (compared / "index.html").unlink()
    assert foreign_entries(compared, "compare") == []
