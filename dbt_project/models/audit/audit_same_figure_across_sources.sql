-- Figures of different documents about the same thing agree, within what their qualifiers allow
-- ("environ 1,3 milliard" and "1,36 milliard" agree; 17 and 18 measures do not).
-- Compared: counts of the programme's measures within a phase; envelopes of money by fund, region and phase;
-- any other count only when both figures refer to the same date. Enjeux and axes are not compared across
-- sources: the word serves for the programme's four needs as well as for a speech's three priorities.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

comparable as (

    select
        *,
        case
            when metric = 'measures' and unit = 'count' and region is null and not is_part_of_previous
                then 'measures · ' || period_phase
            when unit = 'EUR' and funding_kind = 'envelope' and not is_part_of_previous
                then
                    'envelope · ' || coalesce(fund, 'programme') || ' · ' || coalesce(region, 'national')
                    || ' · ' || period_phase
            when unit = 'count' and as_of is not null and not is_part_of_previous
                then metric || ' · ' || coalesce(region, 'national') || ' · ' || as_of
        end as comparison_key
    from figures

),

first_mentions as (

    -- A figure repeated in a document ("17 mesures" twice) is one subject: one of its mentions stands for it, before
    -- documents are paired (at 10,000 documents, pairing every mention then keeping one took three times as long).
    select * from comparable
    where comparison_key is not null
    qualify row_number() over (partition by comparison_key, document_id, surface order by quote) = 1

),

pairs as (

    select
        left_figure.comparison_key,
        left_figure.figure_id as left_figure_id,
        right_figure.figure_id as right_figure_id,
        left_figure.document_id as left_document_id,
        right_figure.document_id as right_document_id,
        left_figure.quote as left_quote,
        right_figure.quote as right_quote,
        left_figure.surface as left_surface,
        right_figure.surface as right_surface,
        left_figure.value as left_value,
        right_figure.value as right_value,
        left_figure.value_low <= right_figure.value_high
        and right_figure.value_low <= left_figure.value_high as agree
    from first_mentions as left_figure
    inner join first_mentions as right_figure
        on
            left_figure.comparison_key = right_figure.comparison_key
            and left_figure.document_id < right_figure.document_id

)

select
    'same_figure_across_sources' as check_name,
    comparison_key || ' · ' || left_document_id || ' vs ' || right_document_id || ' · ' || left_surface
    || ' vs ' || right_surface as subject,
    case when agree then 'pass' else 'fail' end as status,
    'warn' as severity,
    left_value as expected,
    right_value as observed,
    cast({{ var('about_tolerance') }} as double) as tolerance,
    left_document_id,
    left_quote,
    right_document_id,
    right_quote,
    case
        when agree then '« ' || left_surface || ' » and « ' || right_surface || ' » agree within their qualifiers.'
        else '« ' || left_surface || ' » and « ' || right_surface || ' » disagree: two sources, two figures.'
    end as explanation
from pairs
