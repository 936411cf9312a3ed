"""The Dagster code location loads, with the lineage from captures to marts."""

import inspect
import json
import shutil
import subprocess

import dagster_dbt
from dagster import AssetCheckKey, AssetKey

from orchestration.dbt_project import DBT_EXECUTABLE, prepare_dbt_project
from orchestration.project import DBT_PROJECT_DIR

prepare_dbt_project()

from orchestration.assets.dbt import DbtBuildConfig, dbt_build_args  # noqa: E402 - the manifest must exist first
from orchestration.checks import temps_i_successors_counted  # noqa: E402
from orchestration.definitions import defs  # noqa: E402


def asset_keys():
    return {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}


def test_definitions_load_with_every_stage():
    keys = asset_keys()
    for expected in (
        "raw/documents",
        "raw/parsed_documents",
        "raw/figures",
        "raw/enumerations",
        "raw/ref_ti_territoires_2023",
        "raw/ref_ti_territoires_2019_2022",
        "staging/stg_raw__figures",
        "marts/dim_document",
        "marts/fct_figures",
        "marts/dim_territory",
        "marts/dim_measure",
        "marts/fct_funding",
        "audit/ingestion_errors",
    ):
        assert expected in keys, f"{expected} missing from the asset graph"


def test_marts_descend_from_the_captures():
    graph = defs.resolve_asset_graph()
    upstream = graph.get(AssetKey(["marts", "fct_figures"])).parent_keys
    assert AssetKey(["intermediate", "int_figures_scoped"]) in upstream
    assert (
        AssetKey(["staging", "stg_raw__figures"])
        in graph.get(AssetKey(["intermediate", "int_figures_scoped"])).parent_keys
    )
    staging_parents = graph.get(AssetKey(["staging", "stg_raw__figures"])).parent_keys
    assert AssetKey(["raw", "figures"]) in staging_parents


def test_dbt_tests_are_asset_checks():
    check_keys = defs.resolve_asset_graph().asset_check_keys
    on_fct_figures = {key.name for key in check_keys if key.asset_key == AssetKey(["marts", "fct_figures"])}
    assert any(name.startswith("relationships") for name in on_fct_figures)


def test_the_crosswalk_of_dim_territory_is_counted_by_a_check_that_runs_before_publishing():
    check = AssetCheckKey(AssetKey(["marts", "dim_territory"]), "temps_i_successors_counted")
    job = defs.resolve_job_def("tdi_everything")
    assert check in job.asset_layer.asset_graph.asset_check_keys
    spec = next(spec for spec in temps_i_successors_counted.check_specs if spec.key == check)
    assert spec.blocking, "publishing must wait for it: it reads the run's working copy"


def test_the_schedule_crawls_then_runs_everything_and_the_sensor_runs_what_raw_holds():
    assert defs.resolve_schedule_def("daily_refresh").job_name == "tdi_crawl_then_everything"
    crawl_job = defs.resolve_job_def("tdi_crawl_then_everything").asset_layer.selected_asset_keys
    offline_job = defs.resolve_job_def("tdi_everything").asset_layer.selected_asset_keys
    crawl = AssetKey(["capture", "crawled_pages"])
    assert crawl in crawl_job and crawl not in offline_job
    assert crawl_job - {crawl} == offline_job
    assert defs.resolve_sensor_def("new_raw_files").job_name == "tdi_everything"
    assert crawl in defs.resolve_asset_graph().get(AssetKey(["raw", "documents"])).parent_keys


def test_dbt_models_are_grouped_by_folder():
    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey(["marts", "fct_figures"])).group_name == "marts"
    assert graph.get(AssetKey(["staging", "stg_raw__figures"])).group_name == "staging"
    assert graph.get(AssetKey(["raw", "figures"])).group_name == "extract"


def test_publishing_is_the_last_step_of_both_jobs_and_waits_for_every_model():
    graph = defs.resolve_asset_graph()
    published = AssetKey(["warehouse", "published"])
    models = {
        key
        for key in graph.get_all_asset_keys()
        if key.path[0] in ("staging", "intermediate", "marts", "audit")
    }
    assert models <= graph.get(published).parent_keys
    for job in ("tdi_everything", "tdi_crawl_then_everything"):
        job_def = defs.resolve_job_def(job)
        assert published in job_def.asset_layer.selected_asset_keys
        assert job_def.tags["tdi/warehouse"] == "writer"


def test_dbt_runs_through_a_plain_dbt_cli_resource_and_the_public_translator():
    """No subclass of a dagster-dbt class overrides a private method: the resource is dagster-dbt's own."""
    import orchestration.assets.dbt as dbt_assets_module

    resource = defs.resources["dbt"]
    assert type(resource) is dagster_dbt.DbtCliResource
    for _, cls in inspect.getmembers(dbt_assets_module, inspect.isclass):
        if issubclass(cls, dagster_dbt.DagsterDbtTranslator) and cls is not dagster_dbt.DagsterDbtTranslator:
            assert all(not name.startswith("_") for name in vars(cls) if callable(vars(cls)[name]))


def test_the_run_options_are_a_config_of_the_dbt_asset():
    args = dbt_build_args(DbtBuildConfig(debug_log=True), "/tmp/w.duckdb")
    assert args[:3] == ["--log-level", "debug", "build"]
    assert json.loads(args[args.index("--vars") + 1])["warehouse_path"] == "/tmp/w.duckdb"
    assert "--log-level" not in dbt_build_args(DbtBuildConfig(), "/tmp/w.duckdb")


def test_a_parse_made_by_another_checkout_is_not_reused(tmp_path):
    """Regression: a warehouse built from one checkout, then from another, read the seeds from the first
    checkout's folder (dbt's partial parse keeps its paths), and failed once that folder was gone."""
    other_checkout = tmp_path / "other" / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, other_checkout, ignore=shutil.ignore_patterns("target", "logs"))
    target = tmp_path / "target"
    writing_path = tmp_path / "w.duckdb"
    for project_dir in (other_checkout, DBT_PROJECT_DIR):
        folders = ["--project-dir", project_dir, "--profiles-dir", project_dir, "--target-path", target]
        dbt_vars = dbt_build_args(DbtBuildConfig(), str(writing_path), project_dir)[-1]
        parse = subprocess.run(
            [DBT_EXECUTABLE, "parse", "--quiet", *map(str, folders), "--vars", dbt_vars],
            capture_output=True,
            text=True,
            check=False,
        )
        assert parse.returncode == 0, parse.stdout + parse.stderr
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    seed_roots = {node["root_path"] for node in manifest["nodes"].values() if node["resource_type"] == "seed"}
    assert seed_roots == {str(DBT_PROJECT_DIR)}
