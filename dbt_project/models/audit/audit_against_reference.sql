-- Stated counts against the official reference data: the national count of 2023–2027 territories against the
-- ANCT list (183); the national count of Temps I territories a document states once Temps II was announced, the count
-- at the end of Temps I, against the ANCT list of 2019–2022 (149); each region's list of laureates against the
-- territories the ANCT list places mainly in that region (names matched across spellings); and what a region's
-- territories cover ("près de la moitié des communes de la région") against the communes the ANCT list places in a
-- territory.
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

communes as (

    select * from {{ ref('stg_reference__communes') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

temps_i_territories as (

    select * from {{ ref('stg_reference__ti_territoires_2019_2022') }}

),

communes_covered as (

    select
        regions.region_name,
        {{ territory_key('regions.region_name') }} as region_key,
        count(*) as n_communes,
        count(ti_communes.commune_code) as n_covered
    from communes
    inner join regions on communes.region_code = regions.region_code
    left join ti_communes on communes.commune_code = ti_communes.commune_code
    group by regions.region_name

),

coverage_statements as (

    select
        'against_reference' as check_name,
        -- A document may state both the share and the number of communes covered: one check each.
        'communes' || case when figures.unit = 'count' then ' (number)' else '' end || ' · '
        || communes_covered.region_name || ' · covered by a territory vs ANCT list · ' || figures.document_id
            as subject,
        case
            when figures.unit = 'percent' then 100.0 * communes_covered.n_covered / communes_covered.n_communes
            else communes_covered.n_covered::double
        end
            as reference_value,
        figures.*,
        communes_covered.n_communes,
        communes_covered.n_covered
    from figures
    inner join communes_covered on {{ territory_key('figures.region') }} = communes_covered.region_key
    where figures.metric = 'communes' and figures.unit in ('percent', 'count')
    qualify row_number() over (partition by figures.document_id, figures.unit order by figures.char_start) = 1

),

official_total as (

    select
        'Temps II' as phase,
        'reference:ti_territoires_2023' as reference_id,
        'Liste ANCT des Territoires d’industrie 2023–2027 : ' as reference_title,
        count(*) as n_territories
    from reference_territories
    union all
    select
        'Temps I' as phase,
        'reference:ti_territoires_2019_2022' as reference_id,
        'Liste ANCT des Territoires d’industrie 2019–2022, à la fin du Temps I : ' as reference_title,
        count(*) as n_territories
    from temps_i_territories

),

national_statements as (

    select
        'against_reference' as check_name,
        'territories · ' || official_total.phase || ' · national count vs ANCT list · ' || figures.document_id
            as subject,
        case
            when official_total.n_territories between figures.value_low and figures.value_high then 'pass'
            else 'fail'
        end as status,
        'warn' as severity,
        official_total.n_territories::double as expected,
        figures.value as observed,
        0::double as tolerance,
        official_total.reference_id as left_document_id,
        official_total.reference_title || official_total.n_territories || ' territoires.' as left_quote,
        figures.document_id as right_document_id,
        figures.quote as right_quote,
        case
            when official_total.n_territories between figures.value_low and figures.value_high
                then
                    '« ' || figures.surface || ' » concorde avec les ' || official_total.n_territories
                    || ' territoires de la liste officielle.'
            else
                '« ' || figures.surface || ' », mais la liste officielle en compte '
                || official_total.n_territories || '.'
        end as explanation
    from figures
    inner join official_total on figures.period_phase = official_total.phase
    where
        figures.metric = 'territories' and figures.unit = 'count' and figures.region is null
        and not figures.is_part_of_previous
        and figures.value > 100
        -- The Temps I list is the one at the end of the phase: a count stated during Temps I counts fewer, and
        -- audit_counts_over_time follows it; a count of Temps I stated once Temps II was announced is of the whole.
        and (
            figures.period_phase = 'Temps II'
            or figures.published_on >= date '{{ var("temps_ii_announced_on") }}'
        )
    -- A count repeated in a document (its title and its text) is one statement: keep its first mention.
    qualify row_number() over (
        partition by figures.document_id, figures.period_phase order by figures.char_start
    ) = 1

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
    check_name,
    subject,
    case when reference_value between value_low and value_high then 'pass' else 'fail' end as status,
    'warn' as severity,
    round(reference_value, 1) as expected,
    value as observed,
    cast({{ var('about_tolerance') }} as double) as tolerance,
    'reference:ti_communes_2023' as left_document_id,
    'Liste ANCT 2023–2027 : ' || n_covered || ' des ' || n_communes || ' communes de la région sont dans un '
    || 'Territoire d’industrie (' || {{ french_decimal('100.0 * n_covered / n_communes') }} || ' %).' as left_quote,
    document_id as right_document_id,
    quote as right_quote,
    '« ' || surface || ' »'
    || case
        when reference_value between value_low and value_high then ' concorde avec la liste officielle : '
        else ', mais la liste officielle donne '
    end
    || case
        when unit = 'percent' then {{ french_decimal('reference_value') }} || ' %'
        else {{ french_integer('reference_value') }} || ' communes'
    end || '.' as explanation
from coverage_statements
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
            then
                'Les ' || n_listed || ' territoires listés sont exactement les ' || n_reference
                || ' de la liste officielle pour la région ' || region || '.'
        else
            n_listed || ' territoires listés, dont ' || n_matched || ' dans la liste officielle pour la région '
            || region || ', qui en compte ' || n_reference || '.'
    end as explanation
from regional_comparison
