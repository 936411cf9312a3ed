"""An in-process run of every asset on the committed corpus, into a temporary warehouse.

The run includes `dbt build`, so every dbt test of the project runs here as an asset check.
"""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from collections import Counter

import duckdb
import pytest
import yaml

from orchestration.project import DEFAULT_RAW_DIR
from tests.conftest import dbt_on


@pytest.fixture(scope="module")
def warehouse(committed_corpus_run, isolated_environment):
    connection = duckdb.connect(str(isolated_environment["warehouse"]), read_only=True)
    yield connection
    connection.close()


def test_run_succeeds_with_every_check_passing(committed_corpus_run):
    assert committed_corpus_run.succeeded, committed_corpus_run.render()
    assert committed_corpus_run.checks_failed == []
    assert committed_corpus_run.checks_passed > 50
    assert committed_corpus_run.errors == []


def test_the_committed_corpus_fills_every_mart(committed_corpus_run, warehouse):
    marts = warehouse.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
    ).fetchall()
    assert len(marts) >= 6
    for (name,) in marts:
        assert warehouse.execute(f"select count(*) from marts.{name}").fetchone()[0] > 0, name
    assert committed_corpus_run.empty_marts == []
    assert "empty marts" not in committed_corpus_run.render()


def test_every_capture_is_a_document_with_its_manifest_sha256(warehouse):
    manifest = yaml.safe_load((DEFAULT_RAW_DIR / "manifest.yml").read_text(encoding="utf-8"))["documents"]
    rows = dict(warehouse.execute("select document_id, sha256 from marts.dim_document").fetchall())
    assert rows == {entry["document_id"]: entry["sha256"] for entry in manifest}
    empty = warehouse.execute("select count(*) from marts.dim_document where length(text) < 500").fetchone()[
        0
    ]
    assert empty == 0


def test_figures_carry_base_units_and_quotes(warehouse):
    rows = warehouse.execute(
        "select value, unit, qualifier, quote from marts.fct_figures where surface like '1,36 milliard%'"
    ).fetchall()
    assert rows and all(r[:3] == (1_360_000_000.0, "EUR", "exact") for r in rows)
    assert "1,36 milliard d’euros prioritairement fléchés" in rows[0][3]
    percent = warehouse.execute(
        "select value, metric from marts.fct_figures where unit = 'percent'"
    ).fetchall()
    assert (85.0, "territories") in percent


def test_pdf_figures_have_pages_and_match_the_html_page(warehouse):
    pdf_id, html_id = warehouse.execute(
        "select document_id, attached_to_document_id from marts.dim_document where media_type = 'application/pdf'"
    ).fetchone()
    without_page = warehouse.execute(
        "select count(*) from marts.fct_figures where document_id = ? and page is null", [pdf_id]
    ).fetchone()[0]
    assert without_page == 0

    def figures_of(document_id):
        return sorted(
            warehouse.execute(
                "select value, unit, metric, qualifier from marts.fct_figures where document_id = ?",
                [document_id],
            ).fetchall()
        )

    assert figures_of(pdf_id) == figures_of(html_id)


def test_the_twelve_centre_val_de_loire_laureates_match_the_official_list(warehouse):
    rows = warehouse.execute(
        """
        select t.territory_name, t.phase, t.is_official, t.region_names
        from marts.dim_territory as t
        where t.listed_name is not null
        """
    ).fetchall()
    assert len(rows) == 12
    assert all(phase == "Temps II" and is_official for _, phase, is_official, _ in rows)
    assert all("Centre-Val de Loire" in regions for *_, regions in rows)
    official = warehouse.execute(
        "select count(*) from marts.dim_territory where phase = 'Temps II' and is_official"
    ).fetchone()[0]
    assert official == 183


def test_the_communes_of_the_183_territories_are_joined_to_departements_regions_and_epci(warehouse):
    with (DEFAULT_RAW_DIR / "reference" / "ti_communes_2023.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        listed = {(row["lib_ti"], row["insee_com"]) for row in csv.DictReader(handle)}
    joined = warehouse.execute(
        "select territory_name, commune_code, territory_id, departement_name, region_name, epci_name "
        "from marts.dim_territory_commune"
    ).fetchall()
    assert {(territory, commune) for territory, commune, *_ in joined} == listed
    assert len({territory_id for _, _, territory_id, *_ in joined}) == 183
    assert all(departement and region for *_, departement, region, _ in joined)
    assert sum(epci is None for *_, epci in joined) <= 4, "only single-commune islands lack an EPCI"
    vierzon = warehouse.execute(
        "select territory_name, departement_name, region_name, epci_name from marts.dim_territory_commune "
        "where commune_name = 'Vierzon'"
    ).fetchone()
    assert vierzon == ("Berry Sologne", "Cher", "Centre-Val de Loire", "CC Vierzon-Sologne-Berry")


def reference_rows(name: str) -> list[dict]:
    with (DEFAULT_RAW_DIR / "reference" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def words(name: str, separator: str) -> str:
    """The name in lowercase ASCII words joined by the separator, as the macros territory_key and slug make them."""
    lowered = name.lower().replace("œ", "oe").replace("æ", "ae") if separator == "-" else name.lower()
    ascii_ = "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", separator, ascii_).strip(separator)


def expected_successors(
    temps_i: list[dict], temps_ii: list[dict]
) -> dict[str, tuple[str | None, str | None]]:
    """The crosswalk as the reference files give it: the Temps II territory holding most of the communes of the
    grouping when its SIREN is still an EPCI (the first id on a tie), else the one of the same name, else none."""
    members: dict[str, list[str]] = {}
    for row in reference_rows("epci_communes"):
        members.setdefault(row["epci_siren"], []).append(row["commune_code"])
    territory_of = {row["insee_com"]: words(row["lib_ti"], "-") for row in reference_rows("ti_communes_2023")}
    by_key = {words(row["lib_ti"], " "): words(row["lib_ti"], "-") for row in temps_ii}
    successors = {}
    for row in temps_i:
        held = Counter(territory_of[c] for c in members.get(row["siren_groupement"], []) if c in territory_of)
        if held:
            successors[row["id_ti"]] = (min(held, key=lambda slug: (-held[slug], slug)), "siren")
        elif words(row["lib_ti"], " ") in by_key:
            successors[row["id_ti"]] = (by_key[words(row["lib_ti"], " ")], "name")
        else:
            successors[row["id_ti"]] = (None, None)
    return successors


def test_dim_territory_holds_both_official_lists_with_readable_stable_ids_and_the_crosswalk(warehouse):
    temps_i, temps_ii = reference_rows("ti_territoires_2019_2022"), reference_rows("ti_territoires_2023")
    rows = warehouse.execute(
        "select territory_id, phase, is_official, succeeded_by_territory_id, succession_basis"
        " from marts.dim_territory"
    ).fetchall()
    ids = [territory_id for territory_id, *_ in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", territory_id) for territory_id in ids)
    official = {(territory_id, phase) for territory_id, phase, is_official, *_ in rows if is_official}
    # Ids come from the reference files alone (ANCT's id_ti, the slug of the Temps II name): every run gives them.
    assert official == {(row["id_ti"], "Temps I") for row in temps_i} | {
        (words(row["lib_ti"], "-"), "Temps II") for row in temps_ii
    }
    assert Counter(phase for _, phase in official) == {"Temps I": 149, "Temps II": 183}
    assert ("est-du-loiret", "Temps II") in official and ("coeur-de-maine", "Temps II") in official

    successors = {
        territory_id: (successor, basis)
        for territory_id, phase, is_official, successor, basis in rows
        if phase == "Temps I" and is_official
    }
    expected = expected_successors(temps_i, temps_ii)
    assert successors == expected
    # 37 groupings are still EPCI in 2026, 4 of them with no commune in a Temps II territory; 51 names are shared,
    # 9 of them by territories already linked by their grouping.
    assert Counter(basis for _, basis in expected.values()) == {"siren": 33, "name": 42, None: 74}


def test_the_crosswalk_counts_are_the_metadata_of_a_check_on_dim_territory(committed_corpus_run):
    from dagster import AssetCheckKey, AssetKey, DagsterInstance

    key = AssetCheckKey(AssetKey(["marts", "dim_territory"]), "temps_i_successors_counted")
    with DagsterInstance.get() as instance:
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    evaluation = record.event.dagster_event.event_specific_data
    assert evaluation.passed
    assert {name: value.value for name, value in evaluation.metadata.items()} == {
        "temps_i_territories": 149,
        "linked_by_siren": 33,
        "linked_by_name": 42,
        "unlinked": 74,
    }


def test_berry_sologne_is_found_under_both_spellings(warehouse):
    towns, mentions = warehouse.execute(
        "select towns, mentions from marts.dim_territory where territory_name = 'Berry Sologne'"
    ).fetchone()
    assert towns == ["Bourges", "Vierzon"]
    quotes = " ".join(m["quote"] for m in mentions)
    assert "Berry-Sologne" in quotes


def test_measures_include_the_axes_and_the_named_measures(warehouse):
    axes = warehouse.execute(
        "select measure_name, stated_count from marts.dim_measure where kind = 'axis'"
    ).fetchall()
    assert ("Mobiliser le foncier industriel", 4.0) in axes
    assert len(axes) == 4
    vte = warehouse.execute(
        "select n_documents from marts.dim_measure where measure_id = 'volontariat_territorial_en_entreprise'"
    ).fetchone()[0]
    assert vte >= 3


def test_every_euro_amount_is_in_the_funding_mart(warehouse):
    euros = warehouse.execute("select count(*) from marts.fct_figures where unit = 'EUR'").fetchone()[0]
    funding = warehouse.execute("select count(*) from marts.fct_funding").fetchone()[0]
    assert funding == euros > 0
    regional_envelope = warehouse.execute(
        "select funding_kind, funds, measure_id, scope from marts.fct_funding where amount_eur = 3900000"
    ).fetchall()
    assert len(regional_envelope) == 2  # the page and its PDF
    assert set(regional_envelope) == {("envelope", "Fonds vert", "ti_en_transition_ecologique", "region")}
    assert warehouse.execute("select count(*) from marts.fct_funding where funds is null").fetchone()[0] == 0
    programme_envelope = warehouse.execute(
        "select distinct funds from marts.fct_funding where amount_eur = 1360000000"
    ).fetchall()
    assert programme_envelope == [("Territoires d’industrie",)], "a sentence naming no fund: the programme's"


def test_the_marts_and_check_tables_enforce_their_contracts(
    isolated_environment, committed_corpus_run, tmp_path
):
    """Not null, keys and allowed values of the marts and check tables are DuckDB constraints (dbt contracts): a
    row that breaks one cannot be written, by dbt or by anyone."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(isolated_environment["warehouse"], copy)
    with duckdb.connect(str(copy)) as connection:
        constraints = {
            (table, kind, tuple(columns))
            for table, kind, columns in connection.sql(
                "select table_name, constraint_type, constraint_column_names from duckdb_constraints()"
                " where schema_name in ('marts', 'audit')"
            ).fetchall()
        }
        assert {
            ("fct_funding", "PRIMARY KEY", ("funding_id",)),
            ("fct_funding", "NOT NULL", ("funds",)),
            ("fct_funding", "CHECK", ("scope",)),
            ("fct_figures", "PRIMARY KEY", ("figure_id",)),
            ("audit_same_figure_across_sources", "NOT NULL", ("subject",)),
            ("audit_same_figure_across_sources", "CHECK", ("status",)),
        } <= constraints
        for statement, broken in [
            ("update marts.fct_funding set funds = null", "NOT NULL"),
            ("update marts.fct_funding set scope = 'planet'", "CHECK"),
            ("insert into marts.dim_territory select * from marts.dim_territory limit 1", "primary key"),
        ]:
            with pytest.raises(duckdb.ConstraintException, match=broken):
                connection.execute(statement)


def test_a_repeated_or_missing_key_and_an_empty_required_column_fail_the_staging_tests_that_name_them(
    isolated_environment, committed_corpus_run, tmp_path
):
    """A staging view's key and the columns its rows must fill are checked by dbt's own tests, `unique` and
    `not_null` on each column: a failing test names the model and the column, and its failing rows (stored by
    --store-failures) say which rows."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(isolated_environment["warehouse"], copy)
    selection, store = "stg_raw__documents stg_raw__parse_errors", ("--store-failures",)
    assert dbt_on("test", selection, copy, tmp_path / "target", *store).returncode == 0
    with duckdb.connect(str(copy)) as connection:
        documents = connection.sql(
            "select document_id, sha256 from raw.documents order by 1 limit 4"
        ).fetchall()
        (first, _), (second, _), (third, third_sha256), (fourth, _) = documents
        connection.execute("update raw.documents set document_id = ? where document_id = ?", [first, second])
        connection.execute("update raw.documents set document_id = null where document_id = ?", [third])
        connection.execute("update raw.documents set publisher = null where document_id = ?", [first])
        connection.execute("update raw.documents set published_on = null where document_id = ?", [fourth])
        connection.execute(
            "insert into raw.parse_errors (document_id, source, stage, error_class, message)"
            " values (?, null, 'parse', 'ValueError', null)",
            [fourth],
        )

    tested = dbt_on("test", selection, copy, tmp_path / "target", *store)

    assert tested.returncode != 0
    failing = {
        # test (dbt names it after the test, the model and the column): its failing rows
        "unique_stg_raw__documents_document_id": ("unique_field, n_records", [(first, 2)]),
        "not_null_stg_raw__documents_document_id": ("document_id, sha256", [(None, third_sha256)]),
        "not_null_stg_raw__documents_publisher": ("document_id", [(first,), (first,)]),
        "not_null_stg_raw__documents_published_on": ("document_id", [(fourth,)]),
        "not_null_stg_raw__parse_errors_failed_source": ("document_id", [(fourth,)]),
        "not_null_stg_raw__parse_errors_error_message": ("document_id", [(fourth,)]),
    }
    for test_name, (_, rows) in failing.items():
        assert f"FAIL {len(rows)} {test_name} " in tested.stdout, tested.stdout
    assert "PASS not_null_stg_raw__parse_errors_error_class " in tested.stdout, tested.stdout
    with duckdb.connect(str(copy), read_only=True) as connection:
        for test_name, (columns, rows) in failing.items():
            # dbt_test__audit: dbt's schema for the failing rows of tests, a table per test
            stored = connection.sql(
                f"select {columns} from dbt_test__audit.{test_name} order by all"
            ).fetchall()
            assert stored == rows, test_name


def test_centre_val_de_loire_funding_counts_each_claim_once(warehouse):
    """The page of the prefecture and its PDF state the same three amounts: the primary claims give what the
    texts state for the region, 45.9 M€ (more than 36 M€ granted under the plan de relance, 6 M€ for the
    missions « rebond industriel », a 3.9 M€ Fonds vert envelope)."""
    by_kind = dict(
        warehouse.execute(
            "select funding_kind, sum(amount_eur) from marts.fct_funding"
            " where region = 'Centre-Val de Loire' and is_primary_claim group by funding_kind"
        ).fetchall()
    )
    assert by_kind == {"granted": 42_000_000, "envelope": 3_900_000}
    every_row = warehouse.execute(
        "select sum(amount_eur) from marts.fct_funding where region = 'Centre-Val de Loire'"
    ).fetchone()[0]
    assert every_row == 2 * 45_900_000, "the page and its PDF each state the three amounts"
    twice = warehouse.execute(
        """
        select publication_id, value, unit, metric, region, count(*)
        from marts.fct_figures
        where is_primary_claim
        group by all
        having count(*) > 1
        """
    ).fetchall()
    assert twice == [], "a figure stated twice in one publication is one primary claim"
    assert (
        warehouse.execute(
            "select count(distinct document_id) from marts.dim_document where publication_id <> document_id"
        ).fetchone()[0]
        == 1
    ), "the PDF belongs to the publication of its page"


def test_the_amount_of_a_fund_takes_the_phase_of_the_fund(warehouse):
    rows = warehouse.execute(
        "select funds, phase, phase_basis from marts.fct_funding where funds = 'Plan de relance'"
    ).fetchall()
    assert rows and set(rows) == {("Plan de relance", "Temps I", "fund")}


def test_every_column_of_the_marts_and_audit_tables_is_documented_in_duckdb(warehouse):
    documented = warehouse.execute(
        "select schema_name, count(comment) / count(*) from duckdb_columns()"
        " where schema_name in ('marts', 'audit') group by schema_name"
    ).fetchall()
    assert dict(documented) == {"marts": 1.0, "audit": 1.0}
