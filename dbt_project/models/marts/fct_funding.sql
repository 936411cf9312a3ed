{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='document_id',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where figure_id not in (select figure_id from {{ ref('int_figures_scoped') }} where unit = 'EUR')"
    )
}}
-- Every euro amount stated in a document, with what it funds (fund / measure), its scope and kind.
-- Incremental by document: a build writes again the amounts of the documents with an amount not held as it is,
-- with one whose territory is no longer matched by its name, or with one that names a territory matched anew
-- (int_territories_matched.changed_at). The measure lexicon is a seed: a change to it is a whole build.
{#- The columns copied from int_figures_scoped, by their name there and here. -#}
{%- set copied = [
    ('figure_id', 'figure_id'), ('document_id', 'document_id'), ('publisher', 'publisher'),
    ('published_on', 'published_on'), ('value', 'amount_eur'), ('qualifier', 'qualifier'),
    ('range_bound', 'range_bound'), ('metric', 'metric'), ('funding_kind', 'funding_kind'), ('region', 'region'),
    ('period_phase', 'phase'), ('is_phase_inferred', 'is_phase_inferred'), ('as_of', 'as_of'),
    ('surface', 'surface'), ('quote', 'quote'), ('char_start', 'char_start'), ('char_end', 'char_end'),
    ('page', 'page')
] %}
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

lexicon as (

    select * from {{ ref('measure_lexicon') }}

),

territories as (

    select * from {{ ref('int_territories_matched') }}

),

euro_figures as (

    select * from figures
    where unit = 'EUR'

),

{% if is_incremental() %}
    held as (

        select * from {{ this }}

    ),

    -- An amount whose fund differs from the row held: `funds` is the fund, else the measure named (held), else the
    -- programme. The other columns copied from int_figures_scoped are compared as they are (documents_to_write).
    funds_not_held as (

        select held.document_id
        from held
        inner join euro_figures on held.figure_id = euro_figures.figure_id
        left join lexicon on held.measure_id = lexicon.measure_id
        where held.funds <> coalesce(euro_figures.fund, lexicon.measure_name, 'Territoires d’industrie')

    ),

    territories_gone as (

        select held.document_id
        from held
        where held.territory_name not in (select territories.territory_name from territories)

    ),

    territories_changed as (

        select * from territories
        where changed_at = {{ this_build() }}

    ),

    naming_a_changed_territory as (

        select euro_figures.document_id
        from euro_figures
        inner join territories_changed
            on contains(
                ' ' || {{ territory_key(without_asides('euro_figures.quote')) }} || ' ',
                ' ' || territories_changed.territory_key || ' '
            )

    ),

    documents_to_write as (

        {{ documents_not_held('euro_figures', copied | map('first') | list, copied | map('last') | list) }}
        union
        select document_id from funds_not_held
        union
        select document_id from territories_gone
        union
        select document_id from naming_a_changed_territory

    ),
{% endif %}

-- Materialised: both searches below read the key, and DuckDB computes an inlined CTE's regexes once per reader.
amounts as materialized (

    select
        euro_figures.*,
        -- What a parenthesised aside names ("récupéré sur des enveloppes du PIC, du PIA (…)") is where the money
        -- comes from, not what it funds: it is left out of the search for the measure or territory funded.
        ' ' || {{ territory_key(without_asides('euro_figures.quote')) }} || ' ' as quote_key
    from euro_figures
    {% if is_incremental() %}
        where euro_figures.document_id in (select documents_to_write.document_id from documents_to_write)
    {% endif %}

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

),

-- A territory's key is searched only in the quotes that hold its first word: an equi-join, where comparing every
-- amount with every key (`contains` on 75,000 × 365 pairs at 10,000 documents) took 2 s of the model's 3.4 s.
quote_words as (

    select
        figure_id,
        quote_key,
        unnest(string_split(trim(quote_key), ' ')) as word
    from amounts

),

territory_in_quote as (

    select
        quote_words.figure_id,
        min(territories.territory_name) as territory_name
    from quote_words
    inner join territories on quote_words.word = split_part(territories.territory_key, ' ', 1)
    where contains(quote_words.quote_key, ' ' || territories.territory_key || ' ')
    group by quote_words.figure_id

)

select
    amounts.figure_id as funding_id,
    amounts.figure_id,
    amounts.document_id,
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
    territory_in_quote.territory_name,
    case
        when territory_in_quote.territory_name is not null then 'territory'
        when amounts.region is not null then 'region'
        else 'national'
    end as scope,
    amounts.region,
    amounts.period_phase as phase,
    amounts.is_phase_inferred,
    amounts.as_of,
    amounts.surface,
    amounts.quote,
    amounts.char_start,
    amounts.char_end,
    amounts.page
from amounts
left join measure_in_quote on amounts.figure_id = measure_in_quote.figure_id
left join lexicon on measure_in_quote.measure_id = lexicon.measure_id
left join territory_in_quote on amounts.figure_id = territory_in_quote.figure_id
