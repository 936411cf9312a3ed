-- One row per line of a document that names a territory: which territory (of the phase the document's date falls
-- in, when both phases have one of that name), where, and the line as quote.
with

mentions as (

    select * from {{ ref('int_territory_mentions_found') }}

),

publications as (

    select * from {{ ref('int_publications_grouped') }}

)

select
    mentions.document_id || '@' || mentions.char_start || '/' || mentions.territory_id as mention_id,
    mentions.territory_id,
    mentions.document_id,
    publications.publication_id,
    mentions.quote,
    cast(mentions.char_start as integer) as char_start,
    cast(mentions.char_end as integer) as char_end
from mentions
inner join publications on mentions.document_id = publications.document_id
