{{ config(materialized='incremental', incremental_strategy='append', full_refresh=false) }}
-- Every build appends what changed in the check results since the state last recorded for each: a new result,
-- another status or other values, and a result no longer produced (status gone). An unchanged result adds
-- nothing, so the history grows with what happens to the findings, not with the number of builds (a snapshot of
-- every result per build would). Nothing here is ever updated or deleted, not even by
-- `dbt build --full-refresh` (full_refresh=false).
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

compared as (

    -- One join finds both what changed (or is new) and what is gone.
    select
        this_build.*,
        last_recorded.result_id as last_result_id,
        last_recorded.check_name as last_check_name,
        last_recorded.subject as last_subject,
        last_recorded.status as last_status,
        last_recorded.severity as last_severity,
        last_recorded.expected as last_expected,
        last_recorded.observed as last_observed
    from this_build
    full outer join last_recorded on this_build.result_id = last_recorded.result_id
    where
        case
            when this_build.result_id is null then last_recorded.status != 'gone'
            when last_recorded.result_id is null then true
            else
                this_build.status is distinct from last_recorded.status
                or this_build.severity is distinct from last_recorded.severity
                or this_build.expected is distinct from last_recorded.expected
                or this_build.observed is distinct from last_recorded.observed
                or this_build.explanation is distinct from last_recorded.explanation
        end

)

select
    * exclude (
        last_result_id, last_check_name, last_subject, last_status, last_severity, last_expected, last_observed
    )
from compared
where result_id is not null
union all
select
    '{{ invocation_id }}' as run_id,
    cast('{{ run_started_at }}' as timestamptz) as checked_at,
    last_result_id as result_id,
    last_check_name as check_name,
    last_subject as subject,
    'gone' as status,
    last_severity as severity,
    last_expected as expected,
    last_observed as observed,
    'Plus trouvé : les sources ou la vérification ont changé depuis.' as explanation
from compared
where result_id is null
