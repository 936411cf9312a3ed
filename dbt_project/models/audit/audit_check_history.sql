{{ config(materialized='incremental', incremental_strategy='append', full_refresh=false) }}
-- Every build appends what changed in the check results since the state last recorded for each: a new result,
-- another status or other values, and a result no longer produced (status gone). An unchanged result adds
-- nothing, so the history grows with what happens to the findings, not with the number of builds: at 10,000
-- documents a build gives some 800,000 results, and a snapshot of them all per build would soon be the
-- warehouse. Nothing here is ever updated or deleted, not even by `dbt build --full-refresh` (full_refresh=false).
with

results as (

    select * from {{ ref('audit_check_results') }}

),

this_build as (

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

),

last_recorded as (

    {% if is_incremental() %}
        select * from {{ this }}
        qualify row_number() over (partition by result_id order by checked_at desc) = 1
    {% else %}
        select * from this_build
        where false
    {% endif %}

),

changed as (

    select this_build.*
    from this_build
    left join last_recorded on this_build.result_id = last_recorded.result_id
    where
        last_recorded.result_id is null
        or this_build.status is distinct from last_recorded.status
        or this_build.severity is distinct from last_recorded.severity
        or this_build.expected is distinct from last_recorded.expected
        or this_build.observed is distinct from last_recorded.observed
        or this_build.explanation is distinct from last_recorded.explanation

),

gone as (

    select
        '{{ invocation_id }}' as run_id,
        cast('{{ run_started_at }}' as timestamptz) as checked_at,
        last_recorded.result_id,
        last_recorded.check_name,
        last_recorded.subject,
        'gone' as status,
        last_recorded.severity,
        last_recorded.expected,
        last_recorded.observed,
        'No longer found: the sources or the check changed since it was.' as explanation
    from last_recorded
    where
        last_recorded.status != 'gone'
        and not exists (
            select 1 from results
            where results.result_id = last_recorded.result_id
        )

)

select * from changed
union all
select * from gone
