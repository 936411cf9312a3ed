-- Stated counts against the official reference data: the national count of 2023–2027 territories against the
-- ANCT list (183), and each region's list of laureates against the territories the ANCT list places mainly in
-- that region (names matched across spellings).
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

listed as (

    select * from {{ ref('int_territory_mentions_listed') }}

),

reference_territories as (

    select * from {{ ref('int_reference_territories_regioned') }}

),

official_total as (

    select
        count(*) as n_territories,
        string_agg(territory_name, ', ' order by territory_name) as names
    from reference_territories

),

national_statements as (

    select
        'against_reference' as check_name,
        'territories · Temps II · national count vs ANCT list · ' || figures.document_id as subject,
        case
            when official_total.n_territories between figures.value_low and figures.value_high then 'pass'
            else 'fail'
        end as status,
        'warn' as severity,
        official_total.n_territories::double as expected,
        figures.value as observed,
        0::double as tolerance,
        'reference:ti_territoires_2023' as left_document_id,
        'Liste ANCT des Territoires d’industrie 2023–2027 : ' || official_total.n_territories || ' territoires.'
            as left_quote,
        figures.document_id as right_document_id,
        figures.quote as right_quote,
        case
            when official_total.n_territories between figures.value_low and figures.value_high
                then '« ' || figures.surface || ' » matches the ' || official_total.n_territories
                || ' territories of the official list.'
            else '« ' || figures.surface || ' » but the official list has ' || official_total.n_territories || '.'
        end as explanation
    from figures
    cross join official_total
    where
        figures.metric = 'territories' and figures.unit = 'count' and figures.region is null
        and figures.period_phase = 'Temps II' and not figures.is_part_of_previous
        and figures.value > 100
    -- A count repeated in a document (its title and its text) is one statement: keep its first mention.
    qualify row_number() over (partition by figures.document_id order by figures.char_start) = 1

),

regional_lists as (

    select
        listed.enumeration_id,
        listed.document_id,
        listed.region,
        any_value(listed.intro) as quote,
        count(*) as n_listed,
        list(listed.territory_key) as listed_keys,
        string_agg(listed.territory_name, ', ' order by listed.item_index) as listed_names
    from listed
    where listed.region is not null
    group by listed.enumeration_id, listed.document_id, listed.region

),

regional_comparison as (

    select
        regional_lists.*,
        count(reference_territories.territory_key) as n_reference,
        string_agg(reference_territories.territory_name, ', ' order by reference_territories.territory_name)
            as reference_names,
        count(reference_territories.territory_key) filter (
            where list_contains(regional_lists.listed_keys, reference_territories.territory_key)
        ) as n_matched
    from regional_lists
    left join reference_territories
        on {{ territory_key('regional_lists.region') }} = reference_territories.region_key
    group by all

)

select * from national_statements
union all
select
    'against_reference' as check_name,
    'territories · ' || region || ' · listed laureates vs ANCT list · ' || document_id as subject,
    case when n_matched = n_reference and n_listed = n_reference then 'pass' else 'fail' end as status,
    'warn' as severity,
    n_reference::double as expected,
    n_listed::double as observed,
    0::double as tolerance,
    'reference:ti_territoires_2023' as left_document_id,
    'Liste ANCT 2023–2027, territoires principalement en ' || region || ' : ' || coalesce(reference_names, '(aucun)')
        as left_quote,
    document_id as right_document_id,
    quote || ' — ' || listed_names as right_quote,
    case
        when n_matched = n_reference and n_listed = n_reference
            then 'The ' || n_listed || ' territories listed are exactly the ' || n_reference
            || ' of the official list for ' || region || '.'
        else n_listed || ' territories listed, ' || n_matched || ' of them in the official list for ' || region
            || ', which has ' || n_reference || '.'
    end as explanation
from regional_comparison
