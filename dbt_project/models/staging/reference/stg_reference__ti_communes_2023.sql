with

source as (

    select * from {{ source('reference', 'ti_communes_2023') }}

),

renamed as (

    select
        insee_com as commune_code,
        lib_ti as territory_name,
        departement_code,
        source_commit

    from source

)

select * from renamed
