"""Python asset checks: on the raw stages (the dbt tests cover the models), and the counts of dim_territory's crosswalk
from Temps I to Temps II, which a dbt model's metadata cannot hold.

That every capture is parsed or has a recorded error is checked once, in dbt
(audit_warehouse_integrity), where the auditor's report shows it.
"""

import dagster as dg

from orchestration.resources import WarehouseResource


@dg.asset_check(
    asset=["raw", "figures"],
    description="Each figure's surface is the text at its offsets (blocking: a failure publishes nothing).",
    blocking=True,
)
def figure_offsets_match_text(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        wrong = connection.execute(
            """
            select f.document_id, f.surface, substr(p.text, f.char_start + 1, f.char_end - f.char_start) as at_offsets
            from raw.figures as f
            inner join raw.parsed_documents as p using (document_id, version)
            where substr(p.text, f.char_start + 1, f.char_end - f.char_start) <> f.surface
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not wrong,
        metadata={"mismatches": len(wrong), "examples": dg.MetadataValue.json([list(r) for r in wrong[:5]])},
    )


@dg.asset_check(
    asset=["marts", "dim_territory"],
    description=(
        "How the official Temps I territories are linked to their Temps II successor: by the grouping's SIREN, by a "
        "name both lists share, or not at all (unlinked: the reference data do not say, and no link is guessed). "
        "Fails when an official Temps I territory of the reference list is missing from dim_territory. Blocking, so "
        "that it reads the run's warehouse before it is published."
    ),
    blocking=True,
)
def temps_i_successors_counted(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as connection:
        ((in_reference,),) = connection.execute(
            "select count(*) from raw.ref_ti_territoires_2019_2022"
        ).fetchall()
        counts = dict(
            connection.execute(
                """
                select coalesce(succession_basis, 'unlinked'), count(*)
                from marts.dim_territory
                where phase = 'Temps I' and is_official
                group by all
                """
            ).fetchall()
        )
    in_dim = sum(counts.values())
    return dg.AssetCheckResult(
        passed=in_dim == in_reference,
        metadata={
            "temps_i_territories": in_dim,
            "linked_by_siren": counts.get("siren", 0),
            "linked_by_name": counts.get("name", 0),
            "unlinked": counts.get("unlinked", 0),
        },
    )


raw_checks = [figure_offsets_match_text]
mart_checks = [temps_i_successors_counted]
