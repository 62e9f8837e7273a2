"""Importers: strict table reading, the roster, surveys and edge lists, person identity.

Every input row ends in exactly one place: accepted, accepted after a counted
normalisation, or rejected as a :class:`~leadnet.errors.RowIssue` (see
:mod:`leadnet.importers.result` for the accounting rule).
"""

from leadnet.importers.identity import Resolver, derive_key, normalise_id, pseudonym
from leadnet.importers.people import PeopleImport, load_people
from leadnet.importers.result import TieImport, rejected_frame
from leadnet.importers.survey import load_survey
from leadnet.importers.tables import Table, parse_number, read_table
from leadnet.importers.ties import load_ties

__all__ = [
    "PeopleImport",
    "Resolver",
    "Table",
    "TieImport",
    "derive_key",
    "load_people",
    "load_survey",
    "load_ties",
    "normalise_id",
    "parse_number",
    "pseudonym",
    "read_table",
    "rejected_frame",
]
