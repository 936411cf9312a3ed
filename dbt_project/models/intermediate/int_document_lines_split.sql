{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='document_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where document_id not in (select document_id from {{ ref('stg_raw__parsed_documents') }})"
    )
}}
-- One row per line of each parsed text, with its offsets: the unit in which names are searched
-- and quoted when no sentence-level quote exists. Incremental: a build splits only the texts it has not
-- split yet (a new document, a new version, a new parse), and forgets the documents that have no text any more.
with

parsed_documents as (

    select
        *,
        sha256 || ':' || parser_version as text_key
    from {{ ref('stg_raw__parsed_documents') }}

),

to_split as (

    select * from parsed_documents
    {% if is_incremental() %}
        where not exists (
            select 1 from {{ this }} as split
            where split.document_id = parsed_documents.document_id and split.text_key = parsed_documents.text_key
        )
    {% endif %}

),

lines as (

    select
        document_id,
        text_key,
        unnest(string_split(text, chr(10))) as line_text,
        generate_subscripts(string_split(text, chr(10)), 1) as line_number
    from to_split

),

with_offsets as (

    select
        document_id,
        text_key,
        line_number,
        line_text,
        coalesce(
            sum(length(line_text) + 1) over (
                partition by document_id order by line_number rows between unbounded preceding and 1 preceding
            ),
            0
        ) as char_start
    from lines

)

select
    document_id,
    line_number,
    line_text,
    char_start,
    char_start + length(line_text) as char_end,
    ' ' || {{ territory_key('line_text') }} || ' ' as line_key,
    text_key,
    -- The build that split the line: the scans for names read only the lines of their own build.
    cast('{{ run_started_at }}' as timestamptz) as split_at
from with_offsets
