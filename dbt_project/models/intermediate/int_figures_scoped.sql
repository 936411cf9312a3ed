{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='document_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where figure_id not in (select figure_id from {{ ref('stg_raw__figures') }})"
    )
}}
-- Each figure with what reconciliation needs to compare it: the document's date, the phase it speaks of
-- (stated, or inferred from the publication date), the interval of values it allows, whether it is a part of
-- the figure before it ("231 d'entre eux"), and for euro amounts the kind of money.
-- Incremental by document, as fct_figures: a build scopes again only the documents in which a figure, or the
-- document's publisher or date, is not held as it is, and forgets the figures no longer extracted. At 10,000
-- documents, scoping every figure again (three regular expressions over 209,000 quotes) took 1.2 s of each build.
-- The date that separates the phases is a var of the project: a change to it is a whole build.
{%- set stated_columns = [
    'figure_id', 'document_id', 'figure_index', 'value', 'unit', 'metric', 'qualifier', 'surface', 'quote',
    'char_start', 'char_end', 'page', 'range_bound', 'fund', 'region', 'as_of', 'publisher', 'published_on'
] %}
with

figures as (

    select * from {{ ref('stg_raw__figures') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

stated as (

    select
        figures.*,
        documents.publisher,
        documents.published_on
    from figures
    left join documents on figures.document_id = documents.document_id

),

figures_to_scope as (

    select * from stated
    {% if is_incremental() %}
        where document_id in (
            {{ documents_not_held('stated', stated_columns + ['phase'], stated_columns + ['stated_phase']) }}
        )
    {% endif %}

)

select
    figures.figure_id,
    figures.document_id,
    figures.figure_index,
    figures.value,
    figures.unit,
    figures.metric,
    figures.qualifier,
    figures.surface,
    figures.quote,
    figures.char_start,
    figures.char_end,
    figures.page,
    figures.range_bound,
    figures.phase as stated_phase,
    figures.fund,
    figures.region,
    figures.as_of,
    figures.publisher,
    figures.published_on,
    coalesce(
        figures.phase,
        case when figures.published_on < date '{{ var("temps_ii_announced_on") }}' then 'Temps I' else 'Temps II' end
    ) as period_phase,
    figures.phase is null as is_phase_inferred,
    {{ figure_low('figures.value', 'figures.qualifier', 'figures.unit') }} as value_low,
    {{ figure_high('figures.value', 'figures.qualifier', 'figures.unit') }} as value_high,
    regexp_matches(lower(figures.quote), 'd[’'']entre (eux|elles)|parmi (eux|elles|lesquels|lesquelles)')
        as is_part_of_previous,
    case
        when figures.unit <> 'EUR' then null
        when figures.metric = 'investment' then 'investment_supported'
        when
            regexp_matches(
                lower(figures.quote), 'enveloppe|allou|fléch|orienté|bénéficier|déployé|estime|devrait|prévoi'
            )
            then 'envelope'
        when regexp_matches(lower(figures.quote), 'accord|engag|montant|financ|soutenu|aide|représent')
            then 'granted'
        else 'unspecified'
    end as funding_kind
from figures_to_scope as figures
