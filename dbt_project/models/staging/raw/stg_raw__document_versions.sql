with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        is_latest as is_latest_version,
        sha256,
        capture_path,
        size_bytes,
        source_url,
        final_url,
        http_status,
        http_content_type,
        etag,
        last_modified as http_last_modified,
        cast(fetched_at as timestamptz) as fetched_at,
        cast(first_seen as timestamptz) as first_seen_at,
        cast(last_seen as timestamptz) as last_seen_at

    from source

)

select * from renamed
