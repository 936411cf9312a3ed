-- Every line of every document that names a territory, by its spelling-proof key, given to one territory: the one
-- of the phase the document's publication date falls in when both phases have a territory of that name, else the
-- one territory of that name. A name within a longer name the line holds ("Sologne" in "Berry Sologne") is part of
-- that name, not a mention of its own; so is a name known only in the other phase on a line that names a territory
-- of the document's phase.
with

territories as (

    select * from {{ ref('int_territories_phased') }}

),

lines as (

    select * from {{ ref('int_document_lines_split') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

territory_keys as (

    select distinct territory_key from territories

),

lines_naming_a_territory as (

    select
        territory_keys.territory_key,
        lines.document_id,
        lines.line_number,
        lines.line_text as quote,
        lines.char_start,
        lines.char_end
    from territory_keys
    inner join lines on contains(lines.line_key, ' ' || territory_keys.territory_key || ' ')

),

longest_names as (

    select *
    from lines_naming_a_territory as shorter
    where not exists (
        select 1
        from lines_naming_a_territory as longer
        where
            longer.document_id = shorter.document_id
            and longer.line_number = shorter.line_number
            and longer.territory_key <> shorter.territory_key
            and contains(' ' || longer.territory_key || ' ', ' ' || shorter.territory_key || ' ')
    )

),

assigned as (

    select
        territories.territory_id,
        territories.phase = {{ phase_of_date('documents.published_on') }} as is_document_phase,
        longest_names.territory_key,
        longest_names.document_id,
        longest_names.line_number,
        longest_names.quote,
        longest_names.char_start,
        longest_names.char_end
    from longest_names
    inner join documents on longest_names.document_id = documents.document_id
    inner join territories on longest_names.territory_key = territories.territory_key
    qualify row_number() over (
        partition by longest_names.document_id, longest_names.line_number, territories.territory_key
        order by territories.phase = {{ phase_of_date('documents.published_on') }} desc
    ) = 1

)

-- A name known only in the other phase, on a line that names a territory of the document's phase, is a town of
-- that territory ("Nord Loiret, qui inclut notamment Pithiviers" in 2024), not the Temps I territory Pithiviers.
select
    territory_id,
    territory_key,
    document_id,
    line_number,
    quote,
    char_start,
    char_end
from assigned
qualify is_document_phase or not bool_or(is_document_phase) over (partition by document_id, line_number)
