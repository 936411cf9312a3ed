-- Per-region laureate counts add up to the national count when every region is covered; when some regions
-- have no stated count, the check says which ones are missing (not_enough_data) instead of guessing.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

reference_territories as (

    select * from {{ ref('int_reference_territories_regioned') }}

),

regions_with_territories as (

    select distinct
        region_name,
        region_key
    from reference_territories

),

regional_counts as (

    select
        figures.period_phase,
        regions_with_territories.region_name,
        -- A region's laureate count is the largest count of territories its documents state for the phase
        -- ("12 territoires sont lauréats", not "chacun des trois Territoires" of a sentence about missions).
        max(figures.value) as value,
        arg_max(figures.quote, figures.value) as quote,
        arg_max(figures.document_id, figures.value) as document_id
    from figures
    inner join regions_with_territories
        on {{ territory_key('figures.region') }} = regions_with_territories.region_key
    where figures.metric = 'territories' and figures.unit = 'count' and not figures.is_part_of_previous
    group by figures.period_phase, regions_with_territories.region_name

),

national_counts as (

    select
        period_phase,
        arg_max(value, published_on) as value,
        arg_max(quote, published_on) as quote,
        arg_max(document_id, published_on) as document_id
    from figures
    where
        metric = 'territories' and unit = 'count' and region is null and not is_part_of_previous
        and qualifier = 'exact' and period_phase = 'Temps II'
    group by period_phase

),

coverage as (

    select
        national_counts.period_phase,
        national_counts.value as national_value,
        national_counts.quote as national_quote,
        national_counts.document_id as national_document_id,
        sum(regional_counts.value) as regional_sum,
        count(regional_counts.region_name) as regions_covered,
        string_agg(regional_counts.region_name || ' ' || regional_counts.value::integer, ', ') as regional_values,
        string_agg(regional_counts.quote, ' | ') as regional_quotes,
        min(regional_counts.document_id) as regional_document_id,
        (
            select
                string_agg(
                    regions_with_territories.region_name, ', ' order by regions_with_territories.region_name
                )
            from regions_with_territories
            where regions_with_territories.region_name not in (
                select covered.region_name from regional_counts as covered
                where covered.period_phase = national_counts.period_phase
            )
        ) as missing_regions
    from national_counts
    left join regional_counts on national_counts.period_phase = regional_counts.period_phase
    group by all

)

select
    'regions_vs_national' as check_name,
    'territories · ' || period_phase || ' · sum of regions vs national' as subject,
    case
        when missing_regions is not null then 'not_enough_data'
        when regional_sum = national_value then 'pass'
        else 'fail'
    end as status,
    'warn' as severity,
    national_value as expected,
    regional_sum as observed,
    0::double as tolerance,
    national_document_id as left_document_id,
    national_quote as left_quote,
    regional_document_id as right_document_id,
    regional_quotes as right_quote,
    case
        when missing_regions is not null
            then
                case regions_covered
                    when 0 then 'Aucune région ne donne de nombre'
                    when 1 then 'Une région donne un nombre (' || regional_values || ')'
                    else regions_covered || ' régions donnent un nombre (' || regional_values || ')'
                end || ' ; manquent : ' || missing_regions || '.'
        when regional_sum = national_value then 'La somme des régions égale le nombre national.'
        else
            'La somme des régions donne ' || regional_sum::integer || ', le nombre national est '
            || national_value::integer || '.'
    end as explanation
from coverage
