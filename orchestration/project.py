"""Where the project's folders are, so that every entry point agrees on the defaults."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "tdi.duckdb"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"

WAREHOUSE_ENV = "TDI_WAREHOUSE"
RAW_DIR_ENV = "TDI_RAW_DIR"
