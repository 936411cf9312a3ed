with

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

found as (

    select * from {{ ref('int_measure_mentions_found') }}

),

listed as (

    select * from {{ ref('int_measure_mentions_listed') }}

),

named_measures as (

    select
        lexicon.measure_id,
        lexicon.measure_name,
        lexicon.kind,
        lexicon.phase,
        'lexicon' as found_by,
        null::double as stated_count,
        count(found.document_id) as n_mentions,
        count(distinct found.document_id) as n_documents,
        list({ 'document_id': found.document_id, 'quote': found.quote } order by found.document_id, found.char_start)
        filter (where found.document_id is not null) as mentions
    from lexicon
    left join found on lexicon.measure_id = found.measure_id
    group by all

),

-- A listed item's name is what precedes its colon ("Innovation : création de la maison internationale de la
-- cosmétique…" names Innovation); the whole item stays in its mention. An item that opens with a number ("950
-- millions d’euros accordés…") states a result, not a measure.
listed_names as (

    select
        *,
        trim(split_part(measure_name, ' : ', 1)) as item_name
    from listed
    where not regexp_matches(measure_name, '^\s*\d')

),

listed_measures as (

    select
        kind || '-' || {{ slug('item_name') }} as measure_id,
        min(item_name) as measure_name,
        kind,
        min(phase) as phase,
        'list' as found_by,
        max(stated_value) as stated_count,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        list({ 'document_id': document_id, 'quote': quote } order by document_id, char_start) as mentions
    from listed_names
    group by kind || '-' || {{ slug('item_name') }}, kind

)

select * from named_measures
union all
select * from listed_measures
