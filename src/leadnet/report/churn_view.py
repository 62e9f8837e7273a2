"""The programme page's tie churn: its sentence (:func:`churn_sentence`, saying whose ties it counts,
:func:`counted_senders`) and its table: each wave's ties, those formed, dissolved and kept, and
those the churn does not count, so each wave's count is the sum of its rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadnet.nonresponse import survey_of
from leadnet.report.findings import finite, p_text
from leadnet.report.numbers import display_number, people_words, percent, ties_words, verb_for
from leadnet.report.tables import Table


def churn_table(comparison: Mapping[str, Any]) -> Table:
    """Tie churn among stayers and the QAP correlation of the two snapshots; with the ties the churn
    does not count (:func:`uncounted_row`), so each wave's count is the sum of its rows.

    >>> c = {"ties_before": 2599, "ties_after": 2752, "ties_formed": 400, "ties_dissolved": 244,
    ...      "ties_kept": 2298, "n_stayed": 600, "method": {"relation": "advice", "non_respondents": 61}}
    >>> for row in churn_table(c).rows[2:6]:  # doctest: +ELLIPSIS
    ...     print(row)
    ('Formed', '400', 'new, sent by the 539 who answered the advice survey in both waves')
    ('Dissolved', '244', 'ended, sent by the 539 who answered the advice survey in both waves')
    ('Kept', '2,298', 'in both snapshots, sent by the 539 who answered the advice survey in both waves')
    ('Not in these counts', '57 before, 54 after', 'before = kept + dissolved + these; ...')
    """
    c = comparison
    qap = f"r = {display_number(c.get('qap_r'))}, {p_text(c.get('qap_p'))} (one-sided)"
    senders = (
        counted_senders(c).replace(", counting the ties sent by", ", sent by")
        or " among people in both snapshots"
    )
    rows = (
        ("Ties before (everyone)", display_number(c.get("ties_before")), "arcs of the primary relation"),
        ("Ties after (everyone)", display_number(c.get("ties_after")), "arcs of the primary relation"),
        ("Formed", display_number(c.get("ties_formed")), f"new{senders}"),
        ("Dissolved", display_number(c.get("ties_dissolved")), f"ended{senders}"),
        ("Kept", display_number(c.get("ties_kept")), f"in both snapshots{senders}"),
        *uncounted_row(c),
        ("Hamming distance", display_number(c.get("hamming")), "formed + dissolved"),
        ("Tie overlap (Jaccard)", display_number(c.get("jaccard")), "kept / (kept + formed + dissolved)"),
        ("QAP correlation", qap, f"{display_number(c.get('permutations'))} permutations"),
    )
    return Table(("Figure", "Value", "Meaning"), rows)


def uncounted_row(comparison: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """The row of the ties in a wave's count that the churn leaves out: the ties before less those
    kept and dissolved, the ties after less those kept and formed; none when there are none.

    >>> uncounted_row({"ties_before": 10, "ties_after": 11, "ties_kept": 8, "ties_dissolved": 2,
    ...                "ties_formed": 3})
    ()
    """
    keys = ("ties_before", "ties_after", "ties_kept", "ties_dissolved", "ties_formed")
    counts = [n for key in keys if isinstance(n := comparison.get(key), int) and not isinstance(n, bool)]
    if len(counts) < len(keys):
        return ()
    before, after, kept, dissolved, formed = counts
    left = (before - kept - dissolved, after - kept - formed)
    if left == (0, 0):
        return ()
    return (
        (
            "Not in these counts",
            f"{display_number(left[0])} before, {display_number(left[1])} after",
            "before = kept + dissolved + these; after = kept + formed + these: ties sent by someone who did "
            "not answer in both waves, or with someone in one snapshot only",
        ),
    )


def churn_sentence(comparison: Mapping[str, Any]) -> str:
    """Tie churn among the people in both snapshots, in plain words, saying whose ties it counts:
    with non-respondents (``method.non_respondents``), only the ties of those who answered both times.

    >>> print(churn_sentence({"n_stayed": 600, "ties_kept": 2298, "ties_formed": 400,
    ...                       "ties_dissolved": 244, "jaccard": 0.7811,
    ...                       "method": {"relation": "advice", "non_respondents": 61}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Among the 600 people in both snapshots, 2,298 ties were kept, 400 formed and 244 dissolved,
    counting the ties sent by the 539 who answered the advice survey in both waves; 78.1% of these
    ties were in both snapshots (tie overlap, Jaccard index 0.781).
    >>> print(churn_sentence({"n_stayed": 5, "ties_kept": 1, "ties_formed": 1, "ties_dissolved": 0,
    ...                       "jaccard": 0.5}))  # doctest: +NORMALIZE_WHITESPACE
    Among the 5 people in both snapshots, 1 tie was kept, 1 formed and 0 dissolved; 50.0% of these
    ties were in both snapshots (tie overlap, Jaccard index 0.500).
    """
    c = comparison
    overlap = "no ties to compare"
    if finite(c.get("jaccard")) is not None:
        jaccard = display_number(c.get("jaccard"))
        share = percent(c.get("jaccard"))
        overlap = f"{share} of these ties were in both snapshots (tie overlap, Jaccard index {jaccard})"
    return (
        f"Among the {people_words(c.get('n_stayed'))} in both snapshots, "
        f"{ties_words(c.get('ties_kept'))} {verb_for(c.get('ties_kept'), 'were')} kept, "
        f"{display_number(c.get('ties_formed'))} formed "
        f"and {display_number(c.get('ties_dissolved'))} dissolved{counted_senders(c)}; {overlap}."
    )


def counted_senders(comparison: Mapping[str, Any]) -> str:
    """Whose ties the churn counts when some people in both snapshots did not answer the survey in
    a wave ("" when everyone did): ", counting the ties sent by the 539 who answered ...".

    >>> counted_senders({"n_stayed": 600, "method": {"relation": "advice", "non_respondents": 0}})
    ''
    """
    method = comparison.get("method") or {}
    silent, stayed = method.get("non_respondents"), comparison.get("n_stayed")
    if not isinstance(silent, int) or not isinstance(stayed, int) or silent <= 0:
        return ""
    answered = f"{display_number(stayed - silent)} who answered {survey_of(method.get('relation'))}"
    return f", counting the ties sent by the {answered} in both waves"
