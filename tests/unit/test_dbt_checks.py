"""What the Dagster UI shows of the dbt tests: a description for every check, and a failed audit check's evidence."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.assets.dbt import is_failed_audit_check, with_evidence
from orchestration.definitions import defs


def test_every_asset_check_has_a_description_saying_what_it_asserts():
    graph = defs.resolve_asset_graph()
    descriptions = {key: graph.get_check_spec(key).description for key in graph.asset_check_keys}
    assert len(descriptions) > 150 and all(descriptions.values())
    by_name = {(key.asset_key.to_user_string(), key.name): text for key, text in descriptions.items()}
    assert (
        by_name[
            ("marts/fct_funding", "relationships_fct_funding_territory_id__territory_id__ref_dim_territory_")
        ]
        == "dbt test: every marts.fct_funding.territory_id appears as territory_id in dim_territory."
    )
    audit = next(text for (asset, name), text in by_name.items() if asset == "audit/audit_against_reference")
    assert "finding about the sources" in audit and "tdi audit" in audit


def test_a_failed_audit_check_carries_its_findings_with_both_quotes_and_the_report_command():
    connection = duckdb.connect()
    connection.execute("create schema audit")
    connection.execute(
        """
        create table audit.audit_same_figure_across_sources as
        select * from (values
            ('mesures · Temps I', 'fail', '« 17 mesures »', '« 18 mesures »', '17 et 18 ne concordent pas.'),
            ('territoires · Temps II', 'pass', '« 183 »', '« 183 »', 'concordent')
        ) as t(subject, status, left_quote, right_quote, explanation)
        """
    )
    failed = dg.AssetCheckResult(
        passed=False,
        asset_key=dg.AssetKey(["audit", "audit_same_figure_across_sources"]),
        check_name="has_no_failed_checks_audit_same_figure_across_sources_",
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"status": "warn"},
    )
    assert is_failed_audit_check(failed)
    assert not is_failed_audit_check(dg.AssetCheckResult(passed=False, check_name="unique_x", asset_key="a"))

    enriched = with_evidence(failed, connection, "/data/tdi.duckdb")

    assert enriched.severity == dg.AssetCheckSeverity.WARN and not enriched.passed
    assert enriched.metadata["findings"].value == 1
    sample = enriched.metadata["first_findings"].value
    assert "« 17 mesures »" in sample and "« 18 mesures »" in sample and "« 183 »" not in sample
    assert enriched.metadata["report"].value == "tdi audit --warehouse /data/tdi.duckdb"
    assert enriched.metadata["status"].value == "warn"
