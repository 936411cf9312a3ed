with

source as (

    select * from {{ source('raw', 'table_cells') }}

),

renamed as (

    select
        md5(document_id || ':table:' || table_index) as table_id,
        document_id,
        version as document_version,
        table_index,
        row_index,
        column_index,
        row_kind,
        column_role,
        text as cell_text,
        is_span_copy,
        page,
        x0,
        top,
        x1,
        bottom

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
