-- Each figure with what reconciliation needs to compare it: the document's date, the phase it speaks of
-- (stated; else that of the fund or programme its sentence names, France Relance 2020–2022 being Temps I;
-- else inferred from the publication date), the interval of values it allows, whether it is a part of
-- the figure before it ("231 d'entre eux"), and for euro amounts the kind of money.
-- The date that separates the phases is a var of the project (temps_ii_announced_on).
with

figures as (

    select * from {{ ref('stg_raw__figures') }}

),

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

fund_phases as (

    select
        figures.figure_id,
        min(lexicon.phase) as fund_phase
    from figures
    inner join lexicon
        on regexp_matches({{ territory_key('figures.fund') }}, lexicon.pattern)
    where lexicon.phase is not null
    group by figures.figure_id
    -- a fund name that two phases' entries match says nothing about the phase
    having count(distinct lexicon.phase) = 1

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
    figures.quote_start,
    figures.quote_end,
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
        fund_phases.fund_phase,
        case when documents.published_on < date '{{ var("temps_ii_announced_on") }}' then 'Temps I' else 'Temps II' end
    ) as period_phase,
    case
        when figures.phase is not null then 'stated'
        when fund_phases.fund_phase is not null then 'fund'
        else 'publication_date'
    end as phase_basis,
    figures.phase is null and fund_phases.fund_phase is null as is_phase_inferred,
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
left join fund_phases on figures.figure_id = fund_phases.figure_id
