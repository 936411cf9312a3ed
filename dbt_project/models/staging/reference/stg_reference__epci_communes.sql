with

source as (

    select * from {{ source('reference', 'epci_communes') }}

),

renamed as (

    select
        epci_siren,
        commune_code

    from source

)

select * from renamed
