-- A part never exceeds its whole: "231 d'entre eux" within the 474 projects stated just before; a region's
-- count or envelope within the national ones of the same metric, fund and phase (a regional envelope of the
-- Fonds vert within the national 100 M€; 12 laureates of a region within the 183 of the country), compared
-- with the smallest of them.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

parts_of_previous as (

    select
        part.figure_id as part_figure_id,
        arg_max(whole.figure_id, whole.char_start) as whole_figure_id
    from figures as part
    inner join figures as whole
        on
            part.document_id = whole.document_id
            and part.metric = whole.metric
            and part.unit = whole.unit
            and part.char_start > whole.char_start
            and not whole.is_part_of_previous
    where part.is_part_of_previous
    group by part.figure_id

),

national_wholes as (

    -- One whole per kind of national figure: the smallest, since a regional figure within it is within
    -- every national figure of its kind (comparing each regional figure with every national one would grow with
    -- the square of the corpus).
    select
        metric,
        unit,
        period_phase,
        coalesce(fund, '') as fund_key,
        case when unit = 'EUR' then funding_kind else '' end as funding_kind_key,
        arg_min(figure_id, (value_high, figure_id)) as whole_figure_id
    from figures
    where
        region is null
        and unit in ('count', 'EUR')
        and metric in ('territories', 'projects', 'laureates', 'epci', 'communes', 'funding')
        and not is_part_of_previous
        and qualifier in ('exact', 'about')
    group by all

),

regional_within_national as (

    select
        part.figure_id as part_figure_id,
        national_wholes.whole_figure_id
    from figures as part
    inner join national_wholes
        on
            part.metric = national_wholes.metric
            and part.unit = national_wholes.unit
            and part.period_phase = national_wholes.period_phase
            and coalesce(part.fund, '') = national_wholes.fund_key
            and (case when part.unit = 'EUR' then part.funding_kind else '' end) = national_wholes.funding_kind_key
    where part.region is not null

),

pairs as (

    select
        part_figure_id,
        whole_figure_id,
        'part of the figure before it' as relation
    from parts_of_previous
    union all
    select
        part_figure_id,
        whole_figure_id,
        'regional within national' as relation
    from regional_within_national

)

select
    'part_vs_whole' as check_name,
    part.metric || ' · ' || pairs.relation || ' · ' || part.surface || ' ≤ ' || whole.surface || ' · '
    || part.document_id || ' / ' || whole.document_id as subject,
    case when part.value_low <= whole.value_high then 'pass' else 'fail' end as status,
    'warn' as severity,
    whole.value as expected,
    part.value as observed,
    0::double as tolerance,
    whole.document_id as left_document_id,
    whole.quote as left_quote,
    part.document_id as right_document_id,
    part.quote as right_quote,
    '« ' || part.surface || ' » '
    || case when part.value_low <= whole.value_high then 'ne dépasse pas' else 'dépasse' end
    || ' son tout, « ' || whole.surface || ' » ('
    || case
        when pairs.relation = 'regional within national' then 'un chiffre régional rapporté au chiffre national'
        else 'une partie du chiffre qui la précède'
    end || ').' as explanation
from pairs
inner join figures as part on pairs.part_figure_id = part.figure_id
inner join figures as whole on pairs.whole_figure_id = whole.figure_id
-- A figure repeated in a document ("17 mesures" twice) is one subject: keep its first mention.
qualify row_number() over (partition by subject order by left_quote, right_quote) = 1
