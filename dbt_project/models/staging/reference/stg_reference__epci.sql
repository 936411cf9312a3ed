with

source as (

    select * from {{ source('reference', 'epci') }}

),

renamed as (

    select
        siren as epci_siren,
        nom as epci_name,
        type as epci_type,
        cast(population_totale as integer) as population_total,
        cast(population_municipale as integer) as population_municipal

    from source

)

select * from renamed
