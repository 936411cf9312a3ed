with

source as (

    select * from {{ source('reference', 'ti_territoires_2023') }}

),

renamed as (

    select
        {{ slug('lib_ti') }} as official_id,
        lib_ti as territory_name,
        {{ territory_key('lib_ti') }} as territory_key,
        cast(n_communes as integer) as n_communes,
        string_split(departements, ';') as departement_codes,
        string_split(region_codes, ';') as region_codes

    from source

)

select * from renamed
