{{ config(materialized='incremental', incremental_strategy='append') }}
-- Every build appends its check results: an auditor sees when a finding appeared, changed or was resolved.
-- Nothing here is ever updated or deleted.
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
