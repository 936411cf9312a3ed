-- One row per territory and phase: the official lists of Temps I and Temps II and any territory a document lists
-- that the official list of its phase does not know (int_territories_phased), with its regions, its EPCI (Temps II),
-- its successor in Temps II (Temps I) and every mention.
with

territories as (

    select * from {{ ref('int_territories_phased') }}

),

successors as (

    select * from {{ ref('int_territory_successors_found') }}

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
        territory_id,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        list({ 'document_id': document_id, 'quote': quote } order by document_id, char_start) as mentions
    from mentions
    group by territory_id

),

epci_by_territory as (

    select
        ti_communes.territory_name,
        count(distinct epci_communes.epci_siren) as n_epci
    from ti_communes
    left join epci_communes on ti_communes.commune_code = epci_communes.commune_code
    group by ti_communes.territory_name

),

region_names as (

    select
        territories.territory_id,
        list(regions.region_name order by regions.region_code) as region_names
    from territories
    cross join unnest(territories.region_codes) as codes (region_code)
    inner join regions on codes.region_code = regions.region_code
    group by territories.territory_id

)

select
    territories.territory_id,
    territories.phase,
    territories.is_official,
    territories.official_id,
    territories.official_name,
    territories.territory_name,
    territories.territory_key,
    territories.listed_name,
    territories.region_codes,
    region_names.region_names,
    territories.departement_codes,
    territories.n_communes,
    epci_by_territory.n_epci,
    territories.siren_groupement,
    territories.lib_groupement,
    successors.successor_official_id as succeeded_by_territory_id,
    successors.succession_basis,
    territories.towns,
    coalesce(mentions_by_territory.n_mentions, 0) as n_mentions,
    coalesce(mentions_by_territory.n_documents, 0) as n_documents,
    coalesce(mentions_by_territory.mentions, []) as mentions
from territories
left join successors
    on
        territories.phase = 'Temps I'
        and territories.official_id = successors.id_ti
left join epci_by_territory
    on
        territories.phase = 'Temps II'
        and territories.official_name = epci_by_territory.territory_name
left join region_names on territories.territory_id = region_names.territory_id
left join mentions_by_territory on territories.territory_id = mentions_by_territory.territory_id
