"""Person identity: normal form, aliases, suggestions, keyed pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
import sys
import unicodedata

import duckdb
import pandas as pd

from leadnet.importers.identity import (
    Resolver,
    derive_key,
    has_format_sql,
    normalise_id,
    pseudonym,
    visible_sql,
    visible_text,
)

EVERY_FORMAT_CHARACTER = "".join(
    chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
)


def test_email_spellings_normalise_to_one_id() -> None:
    assert normalise_id("Alice@X.org") == normalise_id(" alice@x.org ") == "alice@x.org"


def test_number_and_quoted_number_are_one_id() -> None:
    assert normalise_id(1) == normalise_id("1") == normalise_id(1.0) == normalise_id(" 1 ") == "1"


def test_ids_that_are_not_emails_keep_their_case_and_zeros() -> None:
    assert (normalise_id("00123"), normalise_id("JSmith"), normalise_id("NA")) == ("00123", "JSmith", "NA")


def test_resolver_maps_ids_emails_and_aliases() -> None:
    people = pd.DataFrame(
        {"person_id": ["1", "2"], "email": ["Alice@X.org", ""], "aliases": ["ali; A. Smith", "bob;robert"]}
    )
    resolver = Resolver(people)
    spellings = ["1", 1, " alice@x.org ", "ALICE@X.ORG", "A. Smith", "robert", "carol"]
    assert [resolver.resolve(s) for s in spellings] == ["1", "1", "1", "1", "1", "2", None]
    assert resolver.suggest("robbert") == "2"
    assert resolver.suggest("zzzzzz") is None


def test_alias_shared_by_two_people_resolves_to_nobody() -> None:
    people = pd.DataFrame({"person_id": ["1", "2"], "aliases": ["sam", "sam"]})
    resolver = Resolver(people)
    assert resolver.resolve("sam") is None
    assert resolver.ambiguous == {"sam": ("1", "2")}


def test_excluded_spellings_resolve_to_nobody() -> None:
    resolver = Resolver(pd.DataFrame({"person_id": ["1", "2"]}), excluded=["2"])
    assert (resolver.resolve("2"), resolver.is_excluded(" 2 "), resolver.resolve("1")) == (None, True, "1")


def test_pseudonym_is_keyed_hmac_sha256() -> None:
    key = derive_key("s3cret", seed=0)
    expected = "p_" + hmac.new(key, b"alice@x.org", hashlib.sha256).hexdigest()[:12]
    assert pseudonym("alice@x.org", key) == expected
    assert pseudonym("alice@x.org", derive_key("other", seed=0)) != expected
    assert pseudonym("alice@x.org", key) != "p_" + hashlib.sha256(b"alice@x.org").hexdigest()[:12]


def test_derive_key_is_deterministic_and_depends_on_secret_or_seed() -> None:
    assert derive_key("s", 0) == derive_key("s", 5)  # the secret decides; the seed is unused
    assert derive_key(None, 0) == derive_key(None, 0) != derive_key(None, 1)
    assert len(derive_key(None, 0)) == 32


def test_invisible_format_characters_are_no_part_of_an_id() -> None:
    spellings = ["E0001\u200b", "\ufeffE0001", "E00\u00ad01", "\u200bE0001 ", "E0001\u2060"]
    assert {normalise_id(s) for s in spellings} == {"E0001"}
    assert normalise_id("Alice\u200b@X.org") == "alice@x.org"
    assert normalise_id("E\u00a00001") == "E\u00a00001"  # a visible (if odd) space inside stays


def test_the_sql_removes_the_characters_visible_text_removes_and_only_those() -> None:
    texts = [f"m{EVERY_FORMAT_CHARACTER}1 ", "plain", "é\u200b", "é", "\u200b\ufeff", "a\u2028b"]
    con = duckdb.connect()
    found = [
        con.execute(f"SELECT {visible_sql('t')}, {has_format_sql('t')} FROM (SELECT ? AS t)", [t]).fetchall()[
            0
        ]
        for t in texts
    ]
    assert found == [(visible_text(t) or None, visible_text(t) != t.strip()) for t in texts]
    assert found[0] == ("m1", True)
