-- Every euro amount stated in a document, with what it funds (fund / measure), its scope and kind.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

territories as (

    select * from {{ ref('int_territories_phased') }}

),

located as (

    select * from {{ ref('int_amounts_located') }}

),

claims as (

    select * from {{ ref('int_figures_claimed') }}

),

euro_figures as (

    select * from figures
    where unit = 'EUR'

),

-- Materialised: both searches below read the key, and DuckDB computes an inlined CTE's regexes once per reader.
amounts as materialized (

    select
        euro_figures.*,
        -- What a parenthesised aside names ("récupéré sur des enveloppes du PIC, du PIA (…)") is where the money
        -- comes from, not what it funds: it is left out of the search for the measure or territory funded.
        ' ' || {{ territory_key(without_asides('euro_figures.quote')) }} || ' ' as quote_key
    from euro_figures

),

amounts_naming_a_measure as (

    select * from amounts
    where regexp_matches(quote_key, {{ any_measure_pattern() }})

),

measure_in_quote as (

    select
        amounts_naming_a_measure.figure_id,
        arg_min(
            lexicon.measure_id,
            strpos(
                amounts_naming_a_measure.quote_key,
                regexp_extract(amounts_naming_a_measure.quote_key, lexicon.pattern)
            )
        ) as measure_id
    from amounts_naming_a_measure
    inner join lexicon on regexp_matches(amounts_naming_a_measure.quote_key, lexicon.pattern)
    group by amounts_naming_a_measure.figure_id

)

select
    amounts.figure_id as funding_id,
    amounts.figure_id,
    amounts.document_id,
    claims.publication_id,
    claims.claim_id,
    claims.is_primary_claim,
    amounts.publisher,
    amounts.published_on,
    amounts.value as amount_eur,
    amounts.qualifier,
    amounts.range_bound,
    amounts.metric,
    amounts.funding_kind,
    -- An amount whose sentence names no fund or measure is the programme's own, as the reconciliation reads it
    -- ("1,36 milliard d’euros prioritairement fléchés vers leurs projets").
    coalesce(amounts.fund, lexicon.measure_name, 'Territoires d’industrie') as funds,
    measure_in_quote.measure_id,
    located.territory_id,
    territories.territory_name,
    located.located_by as territory_located_by,
    located.place_name as territory_named_as,
    case
        when located.territory_id is not null then 'territory'
        when amounts.region is not null then 'region'
        else 'national'
    end as scope,
    amounts.region,
    amounts.period_phase as phase,
    amounts.phase_basis,
    amounts.is_phase_inferred,
    amounts.as_of,
    amounts.surface,
    amounts.quote,
    amounts.char_start,
    amounts.char_end,
    amounts.page
from amounts
inner join claims on amounts.figure_id = claims.figure_id
left join measure_in_quote on amounts.figure_id = measure_in_quote.figure_id
left join lexicon on measure_in_quote.measure_id = lexicon.measure_id
left join located on amounts.figure_id = located.figure_id
left join territories on located.territory_id = territories.territory_id
