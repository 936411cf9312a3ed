-- Provenance: every figure's quote and surface are found at their offsets in the document's text,
-- so an auditor who opens dim_document.text sees exactly what fct_figures quotes.
with

figures as (

    select * from {{ ref('fct_figures') }}

),

documents as (

    select * from {{ ref('dim_document') }}

)

select
    figures.figure_id,
    figures.surface,
    figures.quote
from figures
inner join documents on figures.document_id = documents.document_id
where
    substr(documents.text, figures.char_start + 1, figures.char_end - figures.char_start) <> figures.surface
    or substr(documents.text, figures.quote_start + 1, figures.quote_end - figures.quote_start) <> figures.quote
