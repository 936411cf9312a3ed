-- Every line of every document that names a measure of the lexicon.
with

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

lines as (

    select * from {{ ref('int_document_lines_split') }}

)

select
    lexicon.measure_id,
    lines.document_id,
    lines.line_number,
    lines.line_text as quote,
    lines.char_start,
    lines.char_end
from lexicon
inner join lines on regexp_matches(lines.line_key, lexicon.pattern)
