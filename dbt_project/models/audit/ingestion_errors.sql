-- Every error of every stage of the current run: the document, the stage, and what went wrong.
with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

capture_errors as (

    select * from {{ ref('stg_raw__capture_errors') }}

),

parse_errors as (

    select * from {{ ref('stg_raw__parse_errors') }}

),

extract_errors as (

    select * from {{ ref('stg_raw__extract_errors') }}

),

parsed_documents as (

    select * from {{ ref('stg_raw__parsed_documents') }}

),

-- A document whose tables could not be read keeps its text and its figures; its tables are missing.
table_errors as (

    select
        parsed_documents.document_id,
        documents.capture_path as failed_source,
        'tables' as stage,
        'UnreadableTables' as error_class,
        parsed_documents.tables_error as error_message,
        documents.loaded_at as recorded_at
    from parsed_documents
    inner join documents on parsed_documents.document_id = documents.document_id
    where parsed_documents.tables_error is not null

),

all_errors as (

    select * from capture_errors
    union all
    select * from parse_errors
    union all
    select * from extract_errors
    union all
    select * from table_errors

)

select
    md5(coalesce(all_errors.document_id, '') || ':' || all_errors.stage || ':' || all_errors.error_message)
        as error_id,
    all_errors.document_id,
    all_errors.failed_source,
    coalesce(
        documents.source_url,
        case when all_errors.failed_source like 'http%' then all_errors.failed_source end
    ) as source_url,
    all_errors.stage,
    all_errors.error_class,
    all_errors.error_message,
    all_errors.recorded_at
from all_errors
left join documents on all_errors.document_id = documents.document_id
