-- Figures that cannot be what their sentence says (industrial jobs "created" beyond a tenth of France's
-- industrial employment, a share above 100 %, more regions than France has) are flagged with the reason.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

bounds as (

    select * from {{ ref('plausibility_bounds') }}

),

applicable as (

    select
        figures.*,
        bounds.bound_id,
        bounds.max_value,
        bounds.reason
    from figures
    inner join bounds
        on
            figures.unit = bounds.unit
            and (bounds.metric is null or figures.metric = bounds.metric)
            and (bounds.quote_pattern is null or regexp_matches(lower(figures.quote), bounds.quote_pattern))

)

select
    'plausibility' as check_name,
    bound_id || ' · ' || document_id || ' · ' || surface as subject,
    case when value_low <= max_value then 'pass' else 'warn' end as status,
    'warn' as severity,
    max_value as expected,
    value as observed,
    0::double as tolerance,
    'reference:plausibility_bounds' as left_document_id,
    reason as left_quote,
    document_id as right_document_id,
    quote as right_quote,
    case
        when value_low <= max_value
            then
                '« ' || surface || ' » est vraisemblable (au plus ' || {{ french_integer('max_value') }}
                || case when unit = 'percent' then ' %' else '' end || ').'
        else '« ' || surface || ' » : ' || reason
    end as explanation
from applicable
-- A figure repeated in a document ("17 mesures" twice) is one subject: keep its first mention.
qualify row_number() over (partition by subject order by left_quote, right_quote) = 1
