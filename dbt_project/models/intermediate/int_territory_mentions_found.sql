-- Every line of every document that names a territory, by its spelling-proof key.
with

territories as (

    select * from {{ ref('int_territories_matched') }}

),

lines as (

    select * from {{ ref('int_document_lines_split') }}

)

select
    territories.territory_key,
    lines.document_id,
    lines.line_number,
    lines.line_text as quote,
    lines.char_start,
    lines.char_end
from territories
inner join lines on contains(lines.line_key, ' ' || territories.territory_key || ' ')
