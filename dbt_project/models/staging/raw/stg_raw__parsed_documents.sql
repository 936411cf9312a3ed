with

source as (

    select * from {{ source('raw', 'parsed_documents') }}

),

renamed as (

    select
        document_id,
        sha256,
        parser_version,
        detected_title,
        text,
        n_chars,
        n_pages

    from source

)

select * from renamed
