-- Every territory: the official 2023–2027 list, plus any territory a document lists that the
-- official list does not know, matched on a spelling-proof key.
with

official as (

    select * from {{ ref('stg_reference__ti_territoires_2023') }}

),

listed as (

    select * from {{ ref('int_territory_mentions_listed') }}

),

listed_by_key as (

    select
        territory_key,
        min(territory_name) as listed_name,
        list_sort(list_distinct(flatten(list(towns)))) as towns,
        list_sort(list_distinct(list(phase) filter (where phase is not null))) as listed_phases,
        count(distinct document_id) as n_listing_documents
    from listed
    group by territory_key

)

select
    coalesce(official.territory_key, listed_by_key.territory_key) as territory_key,
    coalesce(official.territory_name, listed_by_key.listed_name) as territory_name,
    official.territory_name as official_name,
    listed_by_key.listed_name,
    official.territory_key is not null as is_official_2023,
    official.n_communes,
    official.departement_codes,
    official.region_codes,
    coalesce(listed_by_key.towns, []) as towns,
    coalesce(listed_by_key.listed_phases, []) as listed_phases,
    coalesce(listed_by_key.n_listing_documents, 0) as n_listing_documents
from official
full outer join listed_by_key on official.territory_key = listed_by_key.territory_key
