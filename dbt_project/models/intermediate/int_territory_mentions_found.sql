{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{{ forget_rescanned_documents(ref('int_document_lines_split')) }}",
            "{{ forget_territories_no_longer_matched(ref('int_territories_matched')) }}"
        ]
    )
}}
-- Every line of every document that names a territory, by its spelling-proof key.
with

territories as (

    select * from {{ ref('int_territories_matched') }}

),

lines as (

    select * from {{ ref('int_document_lines_split') }}

),

{% if is_incremental() %}
    -- The lines split by earlier builds were searched for every territory known then. The official ones change
    -- only with the reference tables, and then the build is whole; a territory that only documents list, and that
    -- no line kept in this table names, is one that no earlier build searched for (a new document lists it first):
    -- every earlier line is searched for it. One listed before is named at least by its own item's line.
    territories_not_searched_before as (

        select * from territories
        where
            not is_official_2023
            and territory_key not in (select named.territory_key from {{ this }} as named)

    ),
{% endif %}

found as (

    select
        territories.territory_key,
        lines.document_id,
        lines.line_number,
        lines.line_text as quote,
        lines.char_start,
        lines.char_end
    from territories
    inner join lines on contains(lines.line_key, ' ' || territories.territory_key || ' ')
    {% if is_incremental() %}
        where lines.{{ split_in_this_build() }}

        union all

        select
            territories_not_searched_before.territory_key,
            lines.document_id,
            lines.line_number,
            lines.line_text as quote,
            lines.char_start,
            lines.char_end
        from territories_not_searched_before
        inner join lines on contains(lines.line_key, ' ' || territories_not_searched_before.territory_key || ' ')
        where not lines.{{ split_in_this_build() }}
    {% endif %}

)

select * from found
