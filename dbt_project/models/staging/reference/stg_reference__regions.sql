with

source as (

    select * from {{ source('reference', 'regions') }}

),

renamed as (

    select
        code as region_code,
        nom as region_name,
        zone

    from source

)

select * from renamed
