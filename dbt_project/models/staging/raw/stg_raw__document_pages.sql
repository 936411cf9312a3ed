with

source as (

    select * from {{ source('raw', 'document_pages') }}

),

renamed as (

    select
        document_id,
        page_number,
        char_start,
        char_end

    from source

)

select * from renamed
