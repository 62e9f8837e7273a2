"""How many permutations a test runs, and in blocks of what size.

:func:`people_scaled_permutations` chooses a comparison's count by its people, so the work
stays about flat above :data:`FULL_PERMUTATIONS_UP_TO` people; :func:`block_sizes` splits the
count into blocks of about :data:`BLOCK_ELEMENTS` numbers, each drawn as one numpy array.
Shared by the QAP test (:mod:`leadnet.permutation`) and the group differences
(:mod:`leadnet.group_differences`). The E-I test of a snapshot's units counts every tie again
in each permutation and has a count of its own, :func:`leadnet.silos.budgeted_permutations`.
"""

from __future__ import annotations

from leadnet.errors import ConfigError

DEFAULT_PERMUTATIONS = 10_000
FULL_PERMUTATIONS_UP_TO = 20_000
"""Up to this many stayers a comparison runs every permutation asked (:func:`people_scaled_permutations`)."""
MIN_PERMUTATIONS = 1_000
"""The fewest permutations either rule runs when it runs fewer than asked (p-values then resolve to
0.001): this one and the E-I test's (:func:`leadnet.silos.budgeted_permutations`)."""
BLOCK_ELEMENTS = 4_000_000


def people_scaled_permutations(requested: int, n_people: int) -> int:
    """How many permutations a comparison runs: all of ``requested`` up to 20,000 people (its
    stayers), fewer above, in proportion to the people.

    Above :data:`FULL_PERMUTATIONS_UP_TO` people the count shrinks in proportion
    (``requested × 20,000 / n``), never below 1,000 (or ``requested`` if that is smaller),
    so the work stays about flat. Record the number used next to every p-value.

    Why by people: each permutation of a difference-in-differences shuffles the cohort and
    comparison labels of the stayers (:func:`leadnet.group_differences.difference_test`, once
    per person metric), work in proportion to them; the QAP test that shares the count
    relabels the stayers and looks up each arc among them (:func:`leadnet.permutation.qap_correlation`),
    which grows with those arcs too. The E-I test of a snapshot's units also counts every tie
    of the network in each permutation, so its count fits a budget of permutations × (people
    + ties) instead (:func:`leadnet.silos.budgeted_permutations`: 1,800 at 100,000 people and
    a million ties, where this gives 2,000). The two rules stay apart because each count is
    recorded beside its p-values (``comparison.json``, ``summary.json``): one rule for both
    would change one of them.

    Examples
    --------
    >>> people_scaled_permutations(10_000, 600), people_scaled_permutations(10_000, 80_000)
    (10000, 2500)
    """
    if requested < 1:
        raise ConfigError(f"permutations must be at least 1. Got {requested} instead.")
    if n_people <= FULL_PERMUTATIONS_UP_TO:
        return requested
    scaled = requested * FULL_PERMUTATIONS_UP_TO // n_people
    return max(scaled, min(requested, MIN_PERMUTATIONS))


def block_sizes(total: int, width: int) -> list[int]:
    """Sizes of the blocks that split ``total`` draws of ``width`` numbers each.

    >>> block_sizes(5, BLOCK_ELEMENTS // 2)
    [2, 2, 1]
    """
    block = max(1, min(total, BLOCK_ELEMENTS // max(width, 1)))
    return [min(block, total - start) for start in range(0, total, block)]
