-- Axes, enjeux, needs and measures that documents enumerate ("4 axes majeurs :", "4 enjeux majeurs :",
-- "17 mesures", "nouveaux dispositifs … :"), one row per item.
with

enumerations as (

    select * from {{ ref('stg_raw__enumerations') }}

),

enumeration_items as (

    select * from {{ ref('stg_raw__enumeration_items') }}

),

figures as (

    select * from {{ ref('stg_raw__figures') }}

),

measure_lists as (

    select
        enumerations.enumeration_id,
        enumerations.document_id,
        enumerations.intro,
        enumerations.stated_value,
        figures.phase,
        case
            when regexp_matches(lower(enumerations.intro), '\baxes?\b') then 'axis'
            when regexp_matches(lower(enumerations.intro), '\benjeux?\b|\bdéfis?\b|problématiques?') then 'challenge'
            when regexp_matches(lower(enumerations.intro), '\bbesoins?\b') then 'need'
            else 'measure'
        end as kind
    from enumerations
    left join figures
        on
            enumerations.document_id = figures.document_id
            and enumerations.stated_start = figures.char_start
    where
        enumerations.metric in ('challenges', 'measures')
        or regexp_matches(lower(enumerations.intro), 'dispositifs?|mesures?')

)

select
    measure_lists.document_id,
    measure_lists.enumeration_id,
    enumeration_items.item_index,
    measure_lists.kind,
    measure_lists.phase,
    measure_lists.stated_value,
    trim(regexp_replace(enumeration_items.item_text, '[\s,;.]+$', '')) as measure_name,
    measure_lists.intro || ' … ' || enumeration_items.item_text as quote,
    enumeration_items.char_start,
    enumeration_items.char_end
from measure_lists
inner join enumeration_items on measure_lists.enumeration_id = enumeration_items.enumeration_id
