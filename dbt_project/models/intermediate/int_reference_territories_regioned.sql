-- Each official 2023–2027 territory with its main region: the region holding most of its communes
-- (Est du Loiret spans Loiret and Yonne but belongs to Centre-Val de Loire; Nevers Val de Loire spans Cher
-- and Nièvre but belongs to Bourgogne-Franche-Comté).
with

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

communes as (

    select * from {{ ref('stg_reference__communes') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

communes_by_region as (

    select
        ti_communes.territory_name,
        communes.region_code,
        count(*) as n_communes
    from ti_communes
    inner join communes on ti_communes.commune_code = communes.commune_code
    group by ti_communes.territory_name, communes.region_code

),

main_region as (

    select
        territory_name,
        arg_max(region_code, n_communes) as region_code,
        sum(n_communes) as n_communes
    from communes_by_region
    group by territory_name

)

select
    main_region.territory_name,
    {{ territory_key('main_region.territory_name') }} as territory_key,
    main_region.region_code,
    regions.region_name,
    {{ territory_key('regions.region_name') }} as region_key,
    main_region.n_communes
from main_region
inner join regions on main_region.region_code = regions.region_code
