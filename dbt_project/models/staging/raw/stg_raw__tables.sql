with

source as (

    select * from {{ source('raw', 'tables') }}

),

renamed as (

    select
        md5(document_id || ':table:' || table_index) as table_id,
        document_id,
        version as document_version,
        table_index,
        page_first,
        page_last,
        n_rows,
        n_columns,
        caption,
        column_roles,
        column_unit_multipliers

    from source
    -- the marts read the latest version of each document
    where is_latest

)

select * from renamed
