with

territories as (

    select * from {{ ref('int_territories_matched') }}

),

mentions as (

    select * from {{ ref('int_territory_mentions_found') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

epci_communes as (

    select * from {{ ref('stg_reference__epci_communes') }}

),

mentions_by_territory as (

    select
        territory_key,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        list({ 'document_id': document_id, 'quote': quote } order by document_id, char_start) as mentions
    from mentions
    group by territory_key

),

epci_by_territory as (

    select
        {{ territory_key('ti_communes.territory_name') }} as territory_key,
        count(distinct epci_communes.epci_siren) as n_epci
    from ti_communes
    left join epci_communes on ti_communes.commune_code = epci_communes.commune_code
    group by territory_key

),

region_names as (

    select
        territories.territory_key,
        list(regions.region_name order by regions.region_code) as region_names
    from territories
    cross join unnest(territories.region_codes) as codes (region_code)
    inner join regions on codes.region_code = regions.region_code
    group by territories.territory_key

)

select
    md5(territories.territory_key) as territory_id,
    territories.territory_name,
    territories.territory_key,
    territories.official_name,
    territories.listed_name,
    territories.is_official_2023,
    territories.n_communes,
    epci_by_territory.n_epci,
    territories.departement_codes,
    territories.region_codes,
    region_names.region_names,
    list_sort(list_distinct(
        territories.listed_phases || case when territories.is_official_2023 then ['Temps II'] else [] end
    )) as phases,
    territories.towns,
    coalesce(mentions_by_territory.n_mentions, 0) as n_mentions,
    coalesce(mentions_by_territory.n_documents, 0) as n_documents,
    coalesce(mentions_by_territory.mentions, []) as mentions
from territories
left join mentions_by_territory on territories.territory_key = mentions_by_territory.territory_key
left join epci_by_territory on territories.territory_key = epci_by_territory.territory_key
left join region_names on territories.territory_key = region_names.territory_key
