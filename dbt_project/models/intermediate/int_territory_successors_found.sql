-- Each territory of Temps I (2019–2022) with the territory of Temps II (2023–2027) that succeeds it, where the
-- reference data allow it: when the grouping the Temps I list names is still an EPCI in 2026, the Temps II territory
-- holding most of that EPCI's communes (on a tie, the first by id); else the Temps II territory with the same
-- spelling-proof name; else none. No other link is guessed.
with

temps_i as (

    select * from {{ ref('stg_reference__ti_territoires_2019_2022') }}

),

temps_ii as (

    select * from {{ ref('stg_reference__ti_territoires_2023') }}

),

epci_communes as (

    select * from {{ ref('stg_reference__epci_communes') }}

),

ti_communes as (

    select * from {{ ref('stg_reference__ti_communes_2023') }}

),

successors_by_siren as (

    select
        temps_i.id_ti,
        temps_ii.official_id
    from temps_i
    inner join epci_communes on temps_i.siren_groupement = epci_communes.epci_siren
    inner join ti_communes on epci_communes.commune_code = ti_communes.commune_code
    inner join temps_ii on ti_communes.territory_name = temps_ii.territory_name
    group by temps_i.id_ti, temps_ii.official_id
    qualify row_number() over (partition by temps_i.id_ti order by count(*) desc, temps_ii.official_id) = 1

),

successors_by_name as (

    select
        temps_i.id_ti,
        temps_ii.official_id
    from temps_i
    inner join temps_ii on temps_i.territory_key = temps_ii.territory_key

)

select
    temps_i.id_ti,
    coalesce(successors_by_siren.official_id, successors_by_name.official_id) as successor_official_id,
    case
        when successors_by_siren.official_id is not null then 'siren'
        when successors_by_name.official_id is not null then 'name'
    end as succession_basis
from temps_i
left join successors_by_siren on temps_i.id_ti = successors_by_siren.id_ti
left join successors_by_name on temps_i.id_ti = successors_by_name.id_ti
