with

source as (

    select * from {{ source('reference', 'communes') }}

),

renamed as (

    select
        code as commune_code,
        nom as commune_name,
        departement_code,
        region_code,
        cast(nullif(population, '') as integer) as population,
        nullif(siren, '') as siren

    from source

)

select * from renamed
