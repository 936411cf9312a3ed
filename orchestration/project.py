"""Where the project's folders are, so that every entry point agrees on the defaults."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "tdi.duckdb"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
COMMITTED_REFERENCE_DIR = DEFAULT_RAW_DIR / "reference"

WAREHOUSE_ENV = "TDI_WAREHOUSE"
RAW_DIR_ENV = "TDI_RAW_DIR"


def reference_dir_of(raw_dir: Path) -> Path:
    """The archive's own reference/ folder, or the committed snapshot when the archive has none."""
    own = Path(raw_dir) / "reference"
    return own if own.is_dir() else COMMITTED_REFERENCE_DIR
