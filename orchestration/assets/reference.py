"""Official reference data (INSEE geography, ANCT lists of the territories of 2019–2022 and 2023–2027) loaded as
raw tables.

The committed snapshot in raw/reference/ is the offline default; see raw/reference/PROVENANCE.md.
Every column is loaded as text: INSEE codes carry leading zeros ("01001", "2A") that a number
would lose; staging casts what is numeric.
"""

from pathlib import Path

import dagster as dg

from ingestion.capture.archive import sha256_of
from orchestration.assets.metadata import table_metadata
from orchestration.resources import RawArchiveResource, WarehouseResource

REFERENCE_FILES = {
    "regions": "INSEE COG 2026 regions",
    "departements": "INSEE COG 2026 départements",
    "communes": "INSEE COG 2026 current communes, with legal population",
    "epci": "DGCL 2026 EPCI (intercommunalities)",
    "epci_communes": "DGCL 2026 membership of communes in EPCI",
    "ti_communes_2023": "ANCT: commune → Territoire d'industrie 2023–2027",
    "ti_territoires_2023": "ANCT: the 183 Territoires d'industrie 2023–2027, with their départements and regions",
    "ti_territoires_2019_2022": "ANCT: the 149 Territoires d'industrie 2019–2022, with their grouping and region",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", f"ref_{name}"],
            description=f"{description} (raw/reference/{name}.csv).",
            group_name="reference",
            kinds={"duckdb", "csv"},
        )
        for name, description in REFERENCE_FILES.items()
    ],
    can_subset=True,
)
def reference_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, raw_archive: RawArchiveResource
):
    """Load the selected reference files in one step, through one connection; an unchanged file is not reloaded."""
    if raw_archive.reference_dir != Path(raw_archive.path) / "reference":
        context.log.warning(
            f"{raw_archive.path} has no reference/ folder: using the committed snapshot {raw_archive.reference_dir}"
        )
    with warehouse.connect() as connection:
        for key in sorted(context.selected_asset_keys, key=lambda key: key.path):
            name = key.path[-1].removeprefix("ref_")
            yield dg.MaterializeResult(
                asset_key=key,
                metadata=load_reference(connection, name, raw_archive.reference_dir, warehouse.path),
            )


def load_reference(connection, name: str, reference_dir: Path, warehouse_path: str) -> dict:
    """Load the file unless the table was loaded from these very bytes; what the asset's page shows."""
    path = reference_dir / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"reference file {path} is missing: copy it from the committed snapshot, or remove {reference_dir} "
            "to use that snapshot"
        )
    digest = sha256_of(path.read_bytes())
    loaded = loaded_from(connection, name) == digest
    if not loaded:
        load_csv(connection, name, path, digest)
    return {
        **table_metadata(connection, f"raw.ref_{name}", warehouse_path),
        "file": dg.MetadataValue.path(str(path)),
        "sha256": dg.MetadataValue.text(digest),
        "reloaded": dg.MetadataValue.bool(not loaded),
    }


def loaded_from(connection, name: str) -> str | None:
    """The sha256 of the file the table was last loaded from: the table's comment says it."""
    rows = connection.execute(
        "select comment from duckdb_tables()"
        " where database_name = current_database() and schema_name = 'raw' and table_name = ?",
        [f"ref_{name}"],
    ).fetchall()
    return rows[0][0] if rows else None


def load_csv(connection, name: str, path, digest: str) -> None:
    """Load the whole file, then sign the table with the file's sha256: the next run on the same file
    reads 32 bytes instead of reloading 35,000 communes."""
    connection.execute("create schema if not exists raw")
    connection.execute(
        f"create or replace table raw.ref_{name} as select * from read_csv(?, header = true, all_varchar = true)",
        [str(path)],
    )
    connection.execute(f"comment on table raw.ref_{name} is '{digest}'")


reference_assets = [reference_tables]
