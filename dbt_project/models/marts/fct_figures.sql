-- One row per figure stated in a document, as extracted, with its quote and offsets in dim_document.text, and
-- the claim it states.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

claims as (

    select * from {{ ref('int_figures_claimed') }}

)

select
    figures.figure_id,
    figures.document_id,
    claims.publication_id,
    claims.claim_id,
    claims.is_primary_claim,
    figures.value,
    figures.unit,
    figures.metric,
    figures.qualifier,
    figures.surface,
    figures.quote,
    figures.char_start,
    figures.char_end,
    figures.quote_start,
    figures.quote_end,
    figures.page,
    figures.range_bound,
    figures.fund,
    figures.period_phase as phase,
    figures.phase_basis,
    figures.is_phase_inferred,
    figures.region,
    figures.as_of
from figures
inner join claims on figures.figure_id = claims.figure_id
