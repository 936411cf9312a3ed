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

listed_measures as (

    select
        md5(kind || ':' || {{ territory_key('measure_name') }}) as measure_id,
        min(measure_name) as measure_name,
        kind,
        min(phase) as phase,
        'list' as found_by,
        max(stated_value) as stated_count,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        list({ 'document_id': document_id, 'quote': quote } order by document_id, char_start) as mentions
    from listed
    group by md5(kind || ':' || {{ territory_key('measure_name') }}), kind

)

select * from named_measures
union all
select * from listed_measures
