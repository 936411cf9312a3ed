-- The warehouse's own integrity, as check results of severity error: every capture of the manifest is in the
-- archive with the bytes of its sha256, every figure's quote lies at its offsets in its document's text, and
-- every loaded capture is either parsed or has a recorded error.
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

-- A capture missing from raw/documents/, or whose bytes no longer have its sha256, is not loaded: the warehouse
-- would silently lack it.
capture_bytes as (

    select
        count(*) as n_broken,
        string_agg(
            coalesce(failed_source, document_id) || ' ('
            || case when error_class = 'CaptureMissing' then 'absent' else 'octets modifiés' end || ')',
            ', ' order by failed_source
        ) as broken
    from errors
    where error_class in ('CaptureMissing', 'CaptureAltered')

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
    'chaque capture du manifeste est dans l’archive, avec les octets de son sha256' as subject,
    case when n_broken = 0 then 'pass' else 'fail' end as status,
    'error' as severity,
    0::double as expected,
    n_broken::double as observed,
    0::double as tolerance,
    null::varchar as left_document_id,
    null::varchar as left_quote,
    null::varchar as right_document_id,
    null::varchar as right_quote,
    case
        when n_broken = 0 then 'Chaque capture du manifeste a les octets de son sha256.'
        else
            'Captures absentes ou modifiées depuis leur enregistrement : ' || broken
            || '. Restaurez-les depuis une copie de raw/ (`tdi show <sha256>` vérifie un fichier).'
    end as explanation
from capture_bytes
union all
select
    'warehouse_integrity' as check_name,
    'chaque citation se trouve à ses positions dans le texte de son document' as subject,
    case when n_at_offsets = n_figures then 'pass' else 'fail' end as status,
    'error' as severity,
    n_figures::double as expected,
    n_at_offsets::double as observed,
    0::double as tolerance,
    null::varchar as left_document_id,
    null::varchar as left_quote,
    null::varchar as right_document_id,
    null::varchar as right_quote,
    {{ french_integer('n_at_offsets') }} || ' chiffres sur ' || {{ french_integer('n_figures') }}
    || ' se trouvent à leurs positions dans dim_document.text.'
        as explanation
from figure_provenance
union all
select
    'warehouse_integrity' as check_name,
    'chaque capture chargée est analysée ou a une erreur enregistrée' as subject,
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
        when n_accounted = n_documents
            then
                'Les ' || {{ french_integer('n_documents') }}
                || ' captures chargées sont analysées ou ont une erreur enregistrée.'
        else 'Absentes sans erreur enregistrée : ' || unaccounted || '.'
    end as explanation
from document_accounting
