with

source as (

    select * from {{ source('raw', 'parsed_documents') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        sha256,
        parser_version,
        detected_title,
        text,
        n_chars,
        n_pages,
        tables_error

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
