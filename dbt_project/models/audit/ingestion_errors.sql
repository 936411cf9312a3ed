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

all_errors as (

    select * from capture_errors
    union all
    select * from parse_errors
    union all
    select * from extract_errors

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
