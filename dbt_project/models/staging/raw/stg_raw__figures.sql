with

source as (

    select * from {{ source('raw', 'figures') }}

),

renamed as (

    select
        document_id || '@' || char_start || coalesce('-' || range_bound, '') as figure_id,
        document_id,
        version as document_version,
        figure_index,
        value,
        unit,
        metric,
        qualifier,
        surface,
        char_start,
        char_end,
        quote,
        quote_start,
        quote_end,
        page,
        range_bound,
        fund,
        phase,
        region,
        as_of,
        extractor_version

    from source
    -- the marts read the latest version of each document; stg_raw__figure_versions keeps them all
    where is_latest

)

select * from renamed
