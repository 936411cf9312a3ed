-- Every error of every stage of the current run: the document, the stage, and what went wrong.
with

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
    md5(coalesce(document_id, '') || ':' || stage || ':' || error_message) as error_id,
    document_id,
    failed_source,
    stage,
    error_class,
    error_message,
    recorded_at
from all_errors
