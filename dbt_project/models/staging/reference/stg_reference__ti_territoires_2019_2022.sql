with

source as (

    select * from {{ source('reference', 'ti_territoires_2019_2022') }}

),

renamed as (

    select
        id_ti,
        lib_ti as territory_name,
        {{ territory_key('lib_ti') }} as territory_key,
        lib_groupement,
        siren_groupement,
        region_code

    from source

)

select * from renamed
