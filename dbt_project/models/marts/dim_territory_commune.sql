-- Each commune of each official 2023–2027 (Temps II) territory, with its département, region and EPCI: the
-- reference data joined, so that an analyst asks "which communes, in which EPCI" with one table.
with

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

communes as (

    select * from {{ ref('stg_reference__communes') }}

),

departements as (

    select * from {{ ref('stg_reference__departements') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

epci_communes as (

    select * from {{ ref('stg_reference__epci_communes') }}

),

epci as (

    select * from {{ ref('stg_reference__epci') }}

),

territories as (

    select * from {{ ref('dim_territory') }}

)

select
    territories.territory_id,
    ti_communes.territory_name,
    ti_communes.commune_code,
    communes.commune_name,
    communes.population,
    communes.departement_code,
    departements.departement_name,
    communes.region_code,
    regions.region_name,
    epci_communes.epci_siren,
    epci.epci_name,
    epci.epci_type
from ti_communes
inner join communes on ti_communes.commune_code = communes.commune_code
inner join departements on communes.departement_code = departements.departement_code
inner join regions on communes.region_code = regions.region_code
left join epci_communes on ti_communes.commune_code = epci_communes.commune_code
left join epci on epci_communes.epci_siren = epci.epci_siren
left join territories
    on
        territories.phase = 'Temps II'
        and ti_communes.territory_name = territories.official_name
