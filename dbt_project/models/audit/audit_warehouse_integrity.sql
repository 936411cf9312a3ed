-- The warehouse's own integrity, as check results of severity error: every figure's quote lies at its offsets
-- in its document's text, and every loaded capture is either parsed or has a recorded error.
with

figures as (

    select * from {{ ref('fct_figures') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

errors as (

    select * from {{ ref('ingestion_errors') }}

),

figure_provenance as (

    select
        count(*) as n_figures,
        count(*) filter (
            where
            substr(documents.text, figures.char_start + 1, figures.char_end - figures.char_start) = figures.surface
            and substr(documents.text, figures.quote_start + 1, figures.quote_end - figures.quote_start)
            = figures.quote
        ) as n_at_offsets
    from figures
    inner join documents on figures.document_id = documents.document_id

),

document_accounting as (

    select
        count(*) as n_documents,
        count(*) filter (
            where documents.is_parsed or documents.document_id in (select errors.document_id from errors)
        ) as n_accounted,
        string_agg(documents.document_id, ', ') filter (
            where not documents.is_parsed and documents.document_id not in (select errors.document_id from errors)
        ) as unaccounted
    from documents

)

select
    'warehouse_integrity' as check_name,
    'every figure quote lies at its offsets in its document' as subject,
    case when n_at_offsets = n_figures then 'pass' else 'fail' end as status,
    'error' as severity,
    n_figures::double as expected,
    n_at_offsets::double as observed,
    0::double as tolerance,
    null::varchar as left_document_id,
    null::varchar as left_quote,
    null::varchar as right_document_id,
    null::varchar as right_quote,
    n_at_offsets || ' of ' || n_figures || ' figures are found at their offsets in dim_document.text.' as explanation
from figure_provenance
union all
select
    'warehouse_integrity' as check_name,
    'every loaded capture is parsed or has a recorded error' as subject,
    case when n_accounted = n_documents then 'pass' else 'fail' end as status,
    'error' as severity,
    n_documents::double as expected,
    n_accounted::double as observed,
    0::double as tolerance,
    null::varchar as left_document_id,
    null::varchar as left_quote,
    null::varchar as right_document_id,
    null::varchar as right_quote,
    case
        when n_accounted = n_documents then 'All ' || n_documents || ' captures are parsed or have a recorded error.'
        else 'Silently missing: ' || unaccounted || '.'
    end as explanation
from document_accounting
