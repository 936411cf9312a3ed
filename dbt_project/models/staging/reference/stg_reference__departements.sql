with

source as (

    select * from {{ source('reference', 'departements') }}

),

renamed as (

    select
        code as departement_code,
        nom as departement_name,
        region_code,
        zone

    from source

)

select * from renamed
