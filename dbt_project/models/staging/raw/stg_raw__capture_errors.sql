with

source as (

    select * from {{ source('raw', 'capture_errors') }}

),

renamed as (

    select
        document_id,
        source as failed_source,
        stage,
        error_class,
        message as error_message,
        recorded_at

    from source

)

select * from renamed
