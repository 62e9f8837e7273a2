"""How many permutations a test runs, and in blocks of what size.

:func:`adaptive_permutations` chooses the count for a network's size, so the work stays
about flat above :data:`FULL_PERMUTATIONS_UP_TO` people; :func:`block_sizes` splits the
count into blocks of about :data:`BLOCK_ELEMENTS` numbers, each drawn as one numpy array.
Shared by the QAP test (:mod:`leadnet.permutation`) and the group differences
(:mod:`leadnet.group_differences`).
"""

from __future__ import annotations

from leadnet.errors import ConfigError

DEFAULT_PERMUTATIONS = 10_000
FULL_PERMUTATIONS_UP_TO = 20_000
"""Networks of up to this many people get every requested permutation (see :func:`adaptive_permutations`)."""
MIN_ADAPTIVE_PERMUTATIONS = 1_000
BLOCK_ELEMENTS = 4_000_000


def adaptive_permutations(requested: int, n_people: int) -> int:
    """How many permutations to run: all of ``requested`` up to 20,000 people, fewer above.

    Above :data:`FULL_PERMUTATIONS_UP_TO` people the count shrinks in proportion
    (``requested × 20,000 / n``), never below 1,000 (or ``requested`` if that is smaller),
    so the work stays about flat. Record the number used next to every p-value.

    Examples
    --------
    >>> adaptive_permutations(10_000, 600), adaptive_permutations(10_000, 80_000)
    (10000, 2500)
    """
    if requested < 1:
        raise ConfigError(f"permutations must be at least 1. Got {requested} instead.")
    if n_people <= FULL_PERMUTATIONS_UP_TO:
        return requested
    scaled = requested * FULL_PERMUTATIONS_UP_TO // n_people
    return max(scaled, min(requested, MIN_ADAPTIVE_PERMUTATIONS))


def block_sizes(total: int, width: int) -> list[int]:
    """Sizes of the blocks that split ``total`` draws of ``width`` numbers each.

    >>> block_sizes(5, BLOCK_ELEMENTS // 2)
    [2, 2, 1]
    """
    block = max(1, min(total, BLOCK_ELEMENTS // max(width, 1)))
    return [min(block, total - start) for start in range(0, total, block)]
