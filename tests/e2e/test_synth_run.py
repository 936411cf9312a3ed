"""The synthetic corpus through the whole pipeline: the checks compare what the extractor found, claim by claim,
and each amount is given the territory its sentence names."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import duckdb
import pytest

from ingestion.synth import generate_corpus
from orchestration.project import DEFAULT_RAW_DIR
from tests.conftest import tdi


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "corpus"
    generate_corpus(
        out, documents=30, pdf_share=0.3, reference_dir=DEFAULT_RAW_DIR / "reference", seed=0, pdf_pages=2
    )
    return out


@pytest.fixture(scope="module")
def warehouse(corpus, tmp_path_factory):
    """The synthetic corpus run through the whole pipeline, published."""
    folder = tmp_path_factory.mktemp("synth-run")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DAGSTER_HOME", str(folder / "dagster"))
        result = tdi("run", "--raw-dir", str(corpus), "--warehouse", str(folder / "tdi.duckdb"))
    assert result.exit_code == 0, result.output
    return folder / "tdi.duckdb"


def test_each_amount_is_given_the_territory_its_sentence_names(warehouse):
    """int_amounts_located finds a territory's name only in the quotes that hold its first word (an equi-join):
    it must give what comparing every amount with every territory gives (the territory of the amount's phase
    first, then the first named). The committed corpus names no territory beside an amount; the synthetic one
    does."""
    every_pair = """
        with amounts as (
            select
                figure_id,
                period_phase,
                ' ' || trim(regexp_replace(lower(strip_accents(regexp_replace(regexp_replace(
                    quote, '\\([^()]*\\)', '', 'g'), '\\([^()]*\\)', '', 'g'))), '[^a-z0-9]+', ' ', 'g')) || ' '
                    as quote_key
            from intermediate.int_figures_scoped
            where unit = 'EUR'
        )
        select amounts.figure_id, territories.territory_id
        from amounts
        inner join intermediate.int_territories_phased as territories
            on contains(amounts.quote_key, ' ' || territories.territory_key || ' ')
        qualify row_number() over (
            partition by amounts.figure_id
            order by
                territories.phase <> amounts.period_phase,
                strpos(amounts.quote_key, ' ' || territories.territory_key || ' '),
                territories.territory_id
        ) = 1
    """
    named = "select figure_id, territory_id from marts.fct_funding where territory_located_by = 'territory'"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        expected = set(connection.execute(every_pair).fetchall())
        found = set(connection.execute(named).fetchall())
    assert found == expected
    assert len(found) >= 5, "the corpus names territories beside amounts"


def comparison_key(figure: dict) -> str | None:
    """What audit_same_figure_across_sources compares a figure with, as its header comment states it."""
    if figure["is_part_of_previous"]:
        return None
    if figure["metric"] == "measures" and figure["unit"] == "count" and figure["region"] is None:
        return f"measures · {figure['period_phase']}"
    if figure["unit"] == "EUR" and figure["funding_kind"] == "envelope":
        return f"envelope · {figure['fund'] or 'programme'} · {figure['region'] or 'national'} · {figure['period_phase']}"
    if figure["unit"] == "count" and figure["as_of"] is not None:
        return f"{figure['metric']} · {figure['region'] or 'national'} · {figure['as_of']}"
    return None


def claims_by_key(connection) -> dict[str, dict[tuple, set[str]]]:
    """For each compared subject, each claim (value and qualifier) and the documents that state it."""
    cursor = connection.execute("select * from intermediate.int_figures_scoped")
    columns = [column[0] for column in cursor.description]
    claims: dict[str, dict[tuple, set[str]]] = {}
    for row in cursor.fetchall():
        figure = dict(zip(columns, row, strict=True))
        key = comparison_key(figure)
        if key is not None:
            claim = (figure["value"], figure["qualifier"], figure["value_low"], figure["value_high"])
            claims.setdefault(key, {}).setdefault(claim, set()).add(figure["document_id"])
    return claims


def expected_comparisons(claims: dict[str, dict[tuple, set[str]]]) -> Counter:
    """Every two claims of a subject that two different documents state, and every claim that several state:
    the brute-force reading of the check, against which the model's witnesses are held."""
    expected: Counter = Counter()
    for key, stated in claims.items():
        for claim, documents in stated.items():
            if len(documents) >= 2:
                expected[(key, claim[0], claim[0], "pass")] += 1
        for left, right in combinations(sorted(stated, key=lambda claim: (claim[0], claim[1])), 2):
            if any(a != b for a in stated[left] for b in stated[right]):
                agree = left[2] <= right[3] and right[2] <= left[3]
                expected[(key, left[0], right[0], "pass" if agree else "fail")] += 1
    return expected


def test_each_two_claims_of_a_subject_are_compared_once_with_two_documents_that_state_them(warehouse):
    """Figures repeated by many documents are compared claim by claim, not document by document: each row is
    one pair of claims (or one claim stated alike), with the quotes of two different documents that state them."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        claims = claims_by_key(connection)
        cursor = connection.execute("select * from audit.audit_same_figure_across_sources")
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    found = Counter()
    for row in rows:
        key = max((key for key in claims if row["subject"].startswith(key + " · ")), key=len)
        found[(key, row["expected"], row["observed"], row["status"])] += 1
        assert row["left_document_id"] != row["right_document_id"], row
        stated = claims[key]
        assert any(
            row["left_document_id"] in docs for claim, docs in stated.items() if claim[0] == row["expected"]
        )
        assert any(
            row["right_document_id"] in docs for claim, docs in stated.items() if claim[0] == row["observed"]
        )
    assert found == expected_comparisons(claims)
    statuses = Counter(row["status"] for row in rows)
    assert statuses["pass"] and statuses["fail"], statuses
    assert any("le même chiffre dans" in row["explanation"] for row in rows), (
        "no claim stated by several documents"
    )
