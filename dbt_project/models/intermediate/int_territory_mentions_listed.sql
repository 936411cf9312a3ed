-- Territories named as items of a list whose introduction counts territories
-- ("En Centre-Val de Loire, 12 territoires sont lauréats … :"), split into the territory's name
-- and the towns the item names with it ("…, qui inclut notamment Montargis, Gien et Sully-sur-Loire"), and the phase
-- the list is of: the one its introduction states, else that of the document's publication date.
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

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

territory_lists as (

    select
        enumerations.enumeration_id,
        enumerations.document_id,
        enumerations.intro,
        enumerations.stated_value,
        figures.phase,
        coalesce(figures.phase, {{ phase_of_date('documents.published_on') }}) as period_phase,
        figures.region
    from enumerations
    left join figures
        on
            enumerations.document_id = figures.document_id
            and enumerations.stated_start = figures.char_start
    left join documents on enumerations.document_id = documents.document_id
    -- A list of territories is one whose introduction counts territories ("12 territoires sont lauréats … :")
    -- or announces them ("… des territoires suivants :"); a list of actions "lancées par les territoires" is not.
    where
        (enumerations.metric = 'territories' and enumerations.stated_value is not null)
        or regexp_matches(lower(enumerations.intro), 'territoires (suivants|retenus|lauréats|labellisés)\s*:')

),

items as (

    select
        territory_lists.document_id,
        territory_lists.enumeration_id,
        territory_lists.intro,
        territory_lists.phase,
        territory_lists.period_phase,
        territory_lists.region,
        enumeration_items.item_index,
        enumeration_items.item_text,
        enumeration_items.char_start,
        enumeration_items.char_end,
        trim(regexp_replace(regexp_replace(enumeration_items.item_text, ',\s*qui .*$', ''), '[\s,;.]+$', ''))
            as territory_name,
        nullif(regexp_extract(enumeration_items.item_text, 'notamment\s+(.*?)[\s.;]*$', 1), '') as towns_text
    from territory_lists
    inner join enumeration_items on territory_lists.enumeration_id = enumeration_items.enumeration_id

)

select
    document_id,
    enumeration_id,
    item_index,
    territory_name,
    {{ territory_key('territory_name') }} as territory_key,
    case
        when towns_text is null then []
        else string_split(regexp_replace(towns_text, '\s+et\s+', ', ', 'g'), ', ')
    end as towns,
    phase,
    period_phase,
    region,
    intro,
    intro || ' … ' || item_text as quote,
    char_start,
    char_end
from items
