{{ config(materialized='incremental', incremental_strategy='append', full_refresh=false) }}
-- Every build appends its check results: an auditor sees when a finding appeared, changed or was resolved.
-- Nothing here is ever updated or deleted, not even by `dbt build --full-refresh` (full_refresh=false).
with

results as (

    select * from {{ ref('audit_check_results') }}

)

select
    '{{ invocation_id }}' as run_id,
    cast('{{ run_started_at }}' as timestamptz) as checked_at,
    result_id,
    check_name,
    subject,
    status,
    severity,
    expected,
    observed,
    explanation
from results
