{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{{ forget_rescanned_documents(ref('int_document_lines_split')) }}",
            "{{ forget_territories_changed(ref('int_territories_matched')) }}"
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
    -- The lines split by earlier builds were searched then for every territory known; a territory matched anew is
    -- searched for in them now.
    territories_changed as (

        select * from territories
        where changed_at = {{ this_build() }}

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
            territories_changed.territory_key,
            lines.document_id,
            lines.line_number,
            lines.line_text as quote,
            lines.char_start,
            lines.char_end
        from territories_changed
        inner join lines on contains(lines.line_key, ' ' || territories_changed.territory_key || ' ')
        where not lines.{{ split_in_this_build() }}
    {% endif %}

)

select * from found
