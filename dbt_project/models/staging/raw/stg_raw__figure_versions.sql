with

source as (

    select * from {{ source('raw', 'figures') }}

),

renamed as (

    select
        document_id,
        version as document_version,
        figure_index,
        surface,
        value,
        unit,
        metric,
        quote

    from source

)

select * from renamed
