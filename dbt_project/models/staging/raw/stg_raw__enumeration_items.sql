with

source as (

    select * from {{ source('raw', 'enumeration_items') }}

),

renamed as (

    select
        md5(document_id || ':enumeration:' || enumeration_index) as enumeration_id,
        document_id,
        version as document_version,
        enumeration_index,
        item_index,
        item as item_text,
        char_start,
        char_end

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
