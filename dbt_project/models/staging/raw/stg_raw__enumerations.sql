with

source as (

    select * from {{ source('raw', 'enumerations') }}

),

renamed as (

    select
        md5(document_id || ':enumeration:' || enumeration_index) as enumeration_id,
        document_id,
        version as document_version,
        enumeration_index,
        stated_value,
        metric,
        intro,
        intro_start,
        intro_end,
        stated_start,
        stated_end,
        item_count,
        page

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
