-- Counts that can only grow within a phase (territories, projects, laureates, EPCI engaged) do not go down
-- from one dated source to the next. Each document's headline figure is its largest national count of
-- that metric in the phase; parts ("25 d'entre eux") are left out.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

headline as (

    select
        metric,
        period_phase,
        document_id,
        published_on,
        arg_max(value, value) as value,
        arg_max(quote, value) as quote,
        arg_max(surface, value) as surface
    from figures
    where
        unit = 'count'
        and metric in ('territories', 'projects', 'laureates', 'epci')
        and region is null
        and not is_part_of_previous
        and qualifier in ('exact', 'about')
    group by metric, period_phase, document_id, published_on

),

successive as (

    select
        *,
        lag(value) over by_date as previous_value,
        lag(document_id) over by_date as previous_document_id,
        lag(quote) over by_date as previous_quote,
        lag(surface) over by_date as previous_surface,
        lag(published_on) over by_date as previous_published_on
    from headline
    window by_date as (partition by metric, period_phase order by published_on, document_id)

)

select
    'counts_over_time' as check_name,
    -- Both documents in the subject: several sources are published on the same day.
    metric || ' · ' || period_phase || ' · ' || previous_published_on || ' ' || previous_document_id || ' → '
    || published_on || ' ' || document_id as subject,
    case when value >= previous_value then 'pass' else 'fail' end as status,
    'warn' as severity,
    previous_value as expected,
    value as observed,
    0::double as tolerance,
    previous_document_id as left_document_id,
    previous_quote as left_quote,
    document_id as right_document_id,
    quote as right_quote,
    case
        when value >= previous_value
            then
                previous_surface || ' (' || previous_published_on || ') then ' || surface || ' (' || published_on
                || '): no decrease.'
        else
            previous_surface || ' (' || previous_published_on || ') then only ' || surface || ' ('
            || published_on || '): a count that can only grow went down.'
    end as explanation
from successive
where previous_value is not null
