-- Every territory of each phase: the official lists of Temps I (2019–2022) and Temps II (2023–2027), and any
-- territory a document lists that the official list of the list's phase does not know. A listed name is matched to
-- the official territory of the same phase on the spelling-proof key.
-- Ids are readable and stable: ANCT's id_ti for Temps I ("ti-2401"), the slug of the official name for Temps II
-- ("est-du-loiret"); a listed territory that matches no official one has the slug of its name, after "ti-" in
-- Temps I.
with

temps_i as (

    select * from {{ ref('stg_reference__ti_territoires_2019_2022') }}

),

temps_ii as (

    select * from {{ ref('stg_reference__ti_territoires_2023') }}

),

listed as (

    select * from {{ ref('int_territory_mentions_listed') }}

),

official as (

    select
        'Temps I' as phase,
        id_ti as official_id,
        territory_name,
        territory_key,
        null::integer as n_communes,
        null::varchar[] as departement_codes,
        [region_code] as region_codes,
        lib_groupement,
        siren_groupement
    from temps_i
    union all
    select
        'Temps II' as phase,
        official_id,
        territory_name,
        territory_key,
        n_communes,
        departement_codes,
        region_codes,
        null as lib_groupement,
        null as siren_groupement
    from temps_ii

),

listed_by_key as (

    select
        period_phase as phase,
        territory_key,
        min(territory_name) as listed_name,
        list_sort(list_distinct(flatten(list(towns)))) as towns,
        count(distinct document_id) as n_listing_documents
    from listed
    group by period_phase, territory_key

)

select
    coalesce(
        official.official_id,
        case when listed_by_key.phase = 'Temps I' then 'ti-' else '' end || {{ slug('listed_by_key.listed_name') }}
    ) as territory_id,
    coalesce(official.phase, listed_by_key.phase) as phase,
    official.official_id is not null as is_official,
    official.official_id,
    official.territory_name as official_name,
    listed_by_key.listed_name,
    coalesce(official.territory_name, listed_by_key.listed_name) as territory_name,
    coalesce(official.territory_key, listed_by_key.territory_key) as territory_key,
    official.n_communes,
    official.departement_codes,
    official.region_codes,
    official.lib_groupement,
    official.siren_groupement,
    coalesce(listed_by_key.towns, []) as towns,
    coalesce(listed_by_key.n_listing_documents, 0) as n_listing_documents
from official
full outer join listed_by_key
    on
        official.phase = listed_by_key.phase
        and official.territory_key = listed_by_key.territory_key
