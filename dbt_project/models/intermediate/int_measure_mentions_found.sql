-- Every line of every document that names a measure of the lexicon.
with

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

lines as (

    select * from {{ ref('int_document_lines_split') }}

),

lines_naming_a_measure as (

    select * from lines
    where regexp_matches(line_key, {{ any_measure_pattern() }})

)

select
    lexicon.measure_id,
    lines_naming_a_measure.document_id,
    lines_naming_a_measure.line_number,
    lines_naming_a_measure.line_text as quote,
    lines_naming_a_measure.char_start,
    lines_naming_a_measure.char_end
from lexicon
inner join lines_naming_a_measure on regexp_matches(lines_naming_a_measure.line_key, lexicon.pattern)
