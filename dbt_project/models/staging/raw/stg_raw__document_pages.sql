with

source as (

    select * from {{ source('raw', 'document_pages') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        page_number,
        char_start,
        char_end

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
