-- One row per document, with its parsed text.
with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

parsed_documents as (

    select * from {{ ref('stg_raw__parsed_documents') }}

),

publications as (

    select * from {{ ref('int_publications_grouped') }}

)

select
    documents.document_id,
    documents.document_version,
    documents.source_url,
    documents.final_url,
    documents.source_url_note,
    documents.title,
    documents.publisher,
    documents.published_on,
    documents.is_published_on_estimated,
    documents.published_on_note,
    documents.content_type,
    documents.media_type,
    documents.sha256,
    documents.capture_path,
    documents.size_bytes,
    documents.captured_at,
    documents.first_seen_at,
    documents.last_seen_at,
    documents.is_reconstruction,
    documents.reconstruction_note,
    documents.attached_to_document_id,
    publications.publication_id,
    parsed_documents.text,
    parsed_documents.n_chars,
    parsed_documents.n_pages,
    parsed_documents.parser_version,
    parsed_documents.document_id is not null as is_parsed
from documents
left join parsed_documents on documents.document_id = parsed_documents.document_id
left join publications on documents.document_id = publications.document_id
