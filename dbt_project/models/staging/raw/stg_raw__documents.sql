with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        source_url,
        source_url_note,
        publisher,
        published_on,
        published_on_estimated as is_published_on_estimated,
        published_on_note,
        title,
        content_type,
        media_type,
        sha256,
        capture_path,
        size_bytes,
        is_reconstruction,
        reconstruction_note,
        attached_to as attached_to_document_id,
        cast(captured_at as timestamptz) as captured_at,
        loaded_at

    from source

)

select * from renamed
