-- Each figure with what reconciliation needs to compare it: the document's date, the phase it speaks of
-- (stated, or inferred from the publication date), the interval of values it allows, whether it is a part of
-- the figure before it ("231 d'entre eux"), and for euro amounts the kind of money.
-- The date that separates the phases is a var of the project (temps_ii_announced_on).
with

figures as (

    select * from {{ ref('stg_raw__figures') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

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
    documents.publisher,
    documents.published_on,
    coalesce(
        figures.phase,
        case when documents.published_on < date '{{ var("temps_ii_announced_on") }}' then 'Temps I' else 'Temps II' end
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
from figures
left join documents on figures.document_id = documents.document_id
