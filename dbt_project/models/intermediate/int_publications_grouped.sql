-- Each document with the publication it belongs to: a page and the files attached to it (its PDFs) are one
-- publication, named by the page; a document attached to nothing, or to a page the archive does not hold, is one
-- on its own.
with

documents as (

    select * from {{ ref('stg_raw__documents') }}

)

select
    documents.document_id,
    coalesce(pages.document_id, documents.document_id) as publication_id,
    pages.document_id is null as is_publication_page
from documents
left join documents as pages on documents.attached_to_document_id = pages.document_id
