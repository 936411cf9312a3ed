-- Counts that can only grow within a phase (territories, projects, laureates, EPCI engaged) do not go down
-- from one dated source to the next. Each document's headline figure is its largest national count of
-- that metric in the phase; parts ("25 d'entre eux") are left out. The count of Temps I territories ends at the
-- official list of the end of Temps I (ANCT, 2019–2022): the last dated count goes to it.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

temps_i_territories as (

    select * from {{ ref('stg_reference__ti_territoires_2019_2022') }}

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

),

last_temps_i_count as (

    select *
    from headline
    where metric = 'territories' and period_phase = 'Temps I'
    qualify row_number() over (order by published_on desc, document_id desc) = 1

),

end_of_temps_i as (

    select count(*)::double as n_territories
    from temps_i_territories

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
                previous_surface || ' (' || {{ french_date('previous_published_on') }} || ') puis ' || surface || ' ('
                || {{ french_date('published_on') }} || ') : pas de baisse.'
        else
            previous_surface || ' (' || {{ french_date('previous_published_on') }} || ') puis seulement ' || surface
            || ' (' || {{ french_date('published_on') }} || ') : un nombre qui ne peut que croître a baissé.'
    end as explanation
from successive
where previous_value is not null
union all
select
    'counts_over_time' as check_name,
    'territories · Temps I · ' || last_temps_i_count.published_on || ' ' || last_temps_i_count.document_id
    || ' → end of Temps I reference:ti_territoires_2019_2022' as subject,
    case when end_of_temps_i.n_territories >= last_temps_i_count.value then 'pass' else 'fail' end as status,
    'warn' as severity,
    last_temps_i_count.value as expected,
    end_of_temps_i.n_territories as observed,
    0::double as tolerance,
    last_temps_i_count.document_id as left_document_id,
    last_temps_i_count.quote as left_quote,
    'reference:ti_territoires_2019_2022' as right_document_id,
    'Liste ANCT des Territoires d’industrie 2019–2022, à la fin du Temps I : ' || end_of_temps_i.n_territories::integer
    || ' territoires.' as right_quote,
    case
        when end_of_temps_i.n_territories >= last_temps_i_count.value
            then
                last_temps_i_count.surface || ' (' || {{ french_date('last_temps_i_count.published_on') }}
                || ') puis les ' || end_of_temps_i.n_territories::integer
                || ' territoires de la liste officielle à la fin du Temps I : pas de baisse.'
        else
            last_temps_i_count.surface || ' (' || {{ french_date('last_temps_i_count.published_on') }}
            || '), mais la liste officielle de la fin du Temps I n’en compte que '
            || end_of_temps_i.n_territories::integer || ' : un nombre qui ne peut que croître a baissé.'
    end as explanation
from last_temps_i_count
cross join end_of_temps_i
