with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        cast(first_seen as timestamptz) as first_seen_at,
        cast(last_seen as timestamptz) as last_seen_at,
        source_url,
        final_url,
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
    -- one row per document: its latest version (stg_raw__document_versions keeps them all)
    where is_latest

)

select * from renamed
