-- A stated count equals the number of items of the list that follows it
-- ("12 territoires sont lauréats … :" followed by 12 items; "4 axes majeurs :" followed by 4).
with

enumerations as (

    select * from {{ ref('stg_raw__enumerations') }}

),

enumeration_items as (

    select * from {{ ref('stg_raw__enumeration_items') }}

),

items_by_list as (

    select
        enumeration_id,
        string_agg(item_text, ' | ' order by item_index) as items
    from enumeration_items
    group by enumeration_id

)

select
    'stated_vs_listed' as check_name,
    enumerations.document_id || ' · ' || enumerations.metric || ' · list ' || enumerations.enumeration_index
        as subject,
    case when enumerations.stated_value = enumerations.item_count then 'pass' else 'fail' end as status,
    'warn' as severity,
    enumerations.stated_value as expected,
    enumerations.item_count::double as observed,
    0::double as tolerance,
    enumerations.document_id as left_document_id,
    enumerations.intro as left_quote,
    enumerations.document_id as right_document_id,
    items_by_list.items as right_quote,
    case
        when enumerations.stated_value = enumerations.item_count
            then 'Le document annonce ' || enumerations.stated_value::integer || ' et sa liste en compte autant.'
        else
            'Le document annonce ' || enumerations.stated_value::integer || ', mais sa liste en compte '
            || enumerations.item_count || '.'
    end as explanation
from enumerations
inner join items_by_list on enumerations.enumeration_id = items_by_list.enumeration_id
where enumerations.stated_value is not null
