-- One row per line of each parsed text, with its offsets: the unit in which names are searched
-- and quoted when no sentence-level quote exists.
with

parsed_documents as (

    select * from {{ ref('stg_raw__parsed_documents') }}

),

lines as (

    select
        document_id,
        unnest(string_split(text, chr(10))) as line_text,
        generate_subscripts(string_split(text, chr(10)), 1) as line_number
    from parsed_documents

),

with_offsets as (

    select
        document_id,
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
    ' ' || {{ territory_key('line_text') }} || ' ' as line_key
from with_offsets
