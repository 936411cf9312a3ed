-- The territory each euro amount is for, where its sentence (or list item) says it: by the territory's name, by
-- an EPCI of the territory ("la communauté de communes Berry Loire Puisaye"), or by one of its communes ("À Gien,
-- …"), in that order of precedence, and the first named in the sentence within each. Communes and EPCI lead to the
-- territory of the amount's phase that holds them (Temps II: ANCT's communes; Temps I: the communes of the
-- territory's intercommunal grouping, where it is still an EPCI). A name the reference gives to communes of
-- several territories of the phase leads nowhere; so does an amount whose sentence names none.
with

amounts as (

    select * from {{ ref('int_figures_scoped') }}
    where unit = 'EUR'

),

territories as (

    select * from {{ ref('int_territories_phased') }}

),

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

communes as (

    select * from {{ ref('stg_reference__communes') }}

),

epci as (

    select * from {{ ref('stg_reference__epci') }}

),

epci_communes as (

    select * from {{ ref('stg_reference__epci_communes') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

departements as (

    select * from {{ ref('stg_reference__departements') }}

),

-- What a parenthesised aside names ("récupéré sur des enveloppes du PIC, du PIA (…)") is where the money comes
-- from, not what it is for: it is left out of the search.
quotes as (

    select
        figure_id,
        period_phase,
        {{ without_asides('quote') }} as quote_text,
        ' ' || {{ territory_key(without_asides('quote')) }} || ' ' as quote_key
    from amounts

),

-- Each quote's words, for equi-joins on a name's first word rather than a search of every name in every quote.
quote_words as (

    select distinct
        figure_id,
        unnest(string_split(trim(quote_key), ' ')) as word
    from quotes

),

commune_territories as (

    select
        ti_communes.commune_code,
        'Temps II' as phase,
        territories.territory_id
    from ti_communes
    inner join territories
        on
            territories.phase = 'Temps II'
            and {{ territory_key('ti_communes.territory_name') }} = territories.territory_key
    union all
    select
        epci_communes.commune_code,
        'Temps I' as phase,
        territories.territory_id
    from territories
    inner join epci_communes on territories.siren_groupement = epci_communes.epci_siren
    where territories.phase = 'Temps I'

),

by_territory as (

    select
        quotes.figure_id,
        territories.territory_id,
        territories.territory_name as place_name,
        strpos(quotes.quote_key, ' ' || territories.territory_key || ' ') as position,
        territories.phase = quotes.period_phase as is_same_phase
    from quotes
    inner join quote_words on quotes.figure_id = quote_words.figure_id
    inner join territories on quote_words.word = split_part(territories.territory_key, ' ', 1)
    where contains(quotes.quote_key, ' ' || territories.territory_key || ' ')

),

-- An EPCI is named by its kind and its name without the kind ("CC du Pays de Gien" is "communauté de communes du
-- Pays de Gien", "CC Pays de Gien", …).
epci_names as (

    select
        epci_siren,
        epci_name,
        {{ territory_key("regexp_replace(epci_name, '^(CC|CA|CU|Métropole)\\s+', '')") }}
            as name_key
    from epci

),

-- An EPCI whose communes lie in several territories of the phase leads to the one holding most of them.
by_epci as (

    select
        quotes.figure_id,
        commune_territories.territory_id,
        epci_names.epci_name as place_name,
        min(strpos(quotes.quote_key, ' ' || epci_names.name_key || ' ')) as position,
        true as is_same_phase
    from quotes
    inner join quote_words on quotes.figure_id = quote_words.figure_id
    inner join epci_names
        on
            quote_words.word = split_part(regexp_replace(epci_names.name_key, '^(du|de la|des|de l|d|de) ', ''), ' ', 1)
    inner join epci_communes on epci_names.epci_siren = epci_communes.epci_siren
    inner join commune_territories
        on
            epci_communes.commune_code = commune_territories.commune_code
            and quotes.period_phase = commune_territories.phase
    where
        regexp_matches(
            quotes.quote_key,
            ' (communaute de communes|communaute d agglomeration|communaute urbaine|agglomeration|metropole|cc|ca|cu) '
            || '((du|de la|des|de l|d|de) )?' || regexp_replace(epci_names.name_key, '^(du|de la|des|de l|d|de) ', '')
            || ' '
        )
    group by quotes.figure_id, commune_territories.territory_id, epci_names.epci_name
    qualify rank() over (partition by quotes.figure_id, epci_names.epci_name order by count(*) desc) = 1

),

-- A commune is named with a capital after "à", "de", "d’", "sur" or "commune de" ("À Gien", "d’Orléans"): a
-- commune whose name is also a common word ("Vert", "Plan") is not read from "fonds vert" or "plan de relance".
-- Names of two letters or fewer, and names that are also a region's or a département's, are not read at all.
commune_names as (

    select
        communes.commune_code,
        communes.commune_name,
        {{ territory_key('communes.commune_name') }} as name_key
    from communes
    where
        length(communes.commune_name) > 2
        and {{ territory_key('communes.commune_name') }} not in (
            select {{ territory_key('region_name') }} from regions
            union all
            select {{ territory_key('departement_name') }} from departements
        )

),

by_commune as (

    select
        quotes.figure_id,
        commune_territories.territory_id,
        commune_names.commune_name as place_name,
        strpos(quotes.quote_key, ' ' || commune_names.name_key || ' ') as position,
        true as is_same_phase
    from quotes
    inner join quote_words on quotes.figure_id = quote_words.figure_id
    inner join commune_names on quote_words.word = split_part(commune_names.name_key, ' ', 1)
    inner join commune_territories
        on
            commune_names.commune_code = commune_territories.commune_code
            and quotes.period_phase = commune_territories.phase
    where
        contains(quotes.quote_key, ' ' || commune_names.name_key || ' ')
        and regexp_matches(
            quotes.quote_text,
            '(^|[\s(])([àÀ]|[dD]e|[dD][’'']|sur|commune de)\s*' || split_part(commune_names.commune_name, ' ', 1)
        )

),

-- One territory per commune name and phase: a name that leads to two territories says nothing.
unambiguous_communes as (

    select * from by_commune
    qualify count(distinct territory_id) over (partition by figure_id, place_name) = 1

),

candidates as (

    select
        *,
        1 as precedence,
        'territory' as located_by
    from by_territory
    union all
    select
        *,
        2 as precedence,
        'epci' as located_by
    from by_epci
    union all
    select
        *,
        3 as precedence,
        'commune' as located_by
    from unambiguous_communes

)

select
    figure_id,
    territory_id,
    located_by,
    place_name
from candidates
qualify row_number() over (
    partition by figure_id
    order by precedence, not is_same_phase, position, territory_id
) = 1
