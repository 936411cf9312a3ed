{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='territory_key',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where matched_at < {{ this_build() }}"
    )
}}
-- Every territory: the official 2023–2027 list, plus any territory a document lists that the
-- official list does not know, matched on a spelling-proof key. A table, not a view: the territory scan,
-- dim_territory, fct_funding and four tests read it (as a view, 0.2 s each at 10,000 documents).
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

),

matched as (

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

),

matched_before as (

    {% if is_incremental() %}
        select
            territory_key,
            territory_name,
            changed_at
        from {{ this }}
    {% else %}
        select
            territory_key,
            territory_name,
            null::timestamptz as changed_at
        from matched
        where false
    {% endif %}

)

-- The incremental scans read `changed_at`: a territory new in this build, or known under another name before, is
-- searched for in the texts and amounts that earlier builds read; the others were searched for then. A territory
-- no longer matched (its only listing document changed) is deleted after the build (the post-hook).
select
    matched.*,
    coalesce(
        case when matched_before.territory_name = matched.territory_name then matched_before.changed_at end,
        {{ this_build() }}
    ) as changed_at,
    {{ this_build() }} as matched_at
from matched
left join matched_before on matched.territory_key = matched_before.territory_key
