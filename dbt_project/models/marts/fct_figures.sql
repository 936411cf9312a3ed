-- One row per figure stated in a document, as extracted, with its quote and offsets in dim_document.text.
with

figures as (

    select * from {{ ref('stg_raw__figures') }}

)

select
    figure_id,
    document_id,
    value,
    unit,
    metric,
    qualifier,
    surface,
    quote,
    char_start,
    char_end,
    quote_start,
    quote_end,
    page,
    range_bound,
    fund,
    phase,
    region,
    as_of
from figures
