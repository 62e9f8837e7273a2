"""Which person ids are e-mail addresses: the one rule (:func:`is_address`) by which an id is casefolded
(:func:`leadnet.importers.identity.normalise_id`) and counted in the warning that the outputs carry
addresses (:func:`leadnet.privacy.address_ids`); and the wider one by which the report shows codes
instead of ids (:func:`may_name_person`, :func:`leadnet.report.views.person_labels`).

The two differ on purpose. An id the report prints reaches readers who were never meant to see the
roster, and it cannot ask whether ``mei.taylor@riverside`` (no dot in the domain) or ``@mei`` (a chat
handle) names someone: any ``@`` makes it show codes, failing closed. Calling such ids e-mail
addresses would fold ``Team@3`` and ``team@3`` into one person and warn that a code is an address.
"""

from __future__ import annotations

import re

ADDRESS = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
"""An e-mail address: text, ``@``, and a domain of at least two non-empty parts split by dots
(``ann@corp.example``; not a code such as ``team@3``, nor ``ann@corp..example``)."""


def is_address(text: str) -> bool:
    """Whether ``text``, stripped, is an e-mail address (:data:`ADDRESS`).

    >>> is_address(" Ann@Corp.Example "), is_address("team@3"), is_address("a@x..org"), is_address("@mei")
    (True, False, False, False)
    """
    return "@" in text and ADDRESS.fullmatch(text.strip()) is not None


def may_name_person(text: str) -> bool:
    """Whether the report shows codes instead of ids because of ``text``: it holds an ``@``, an
    address (:func:`is_address`) or not, since such an id may name its person either way.

    >>> may_name_person("team@3"), may_name_person("@mei"), may_name_person("E0001")
    (True, True, False)
    """
    return "@" in text
