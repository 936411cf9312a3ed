{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='document_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where figure_id not in (select figure_id from {{ ref('stg_raw__figures') }})"
    )
}}
-- Incremental by document: a build writes again only the figures of the documents in which a figure is not held
-- as it is (a new document, a new version, a new extraction), and forgets the figures no longer extracted. At
-- 10,000 documents, writing the whole table again with its primary key took over a second of every build.
{%- set columns = [
    'figure_id', 'document_id', 'value', 'unit', 'metric', 'qualifier', 'surface', 'quote', 'char_start',
    'char_end', 'quote_start', 'quote_end', 'page', 'range_bound', 'fund', 'phase', 'region', 'as_of'
] %}
with

figures as (

    select * from {{ ref('stg_raw__figures') }}

),

stated as (

    select {{ columns | join(', ') }}
    from figures

),

written as (

    select * from stated
    {% if is_incremental() %}
        where document_id in ({{ documents_not_held('stated', columns) }})
    {% endif %}

)

select * from written
