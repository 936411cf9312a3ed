-- Figures of different documents about the same thing agree, within what their qualifiers allow
-- ("environ 1,3 milliard" and "1,36 milliard" agree; 17 and 18 measures do not). One check per pair of claims
-- (a value and its qualifier) about a subject, and one per claim that several documents state alike.
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

claimed as (

    -- A claim is a value and its qualifier about one subject ("17 mesures" and "dix-sept mesures" are one claim;
    -- "environ 1,3 milliard" and "plus de 1,3 milliard" are two). One mention stands for each claim in each document.
    select
        *,
        cast(value as varchar) || ' ' || qualifier as claim
    from comparable
    where comparison_key is not null
    qualify row_number() over (partition by comparison_key, value, qualifier, document_id order by surface, quote) = 1

),

witnesses as (

    -- The first two documents of a claim stand for all that state it: enough to find, for any other claim, two
    -- different documents that state the two. Pairing every document with every other instead made a check per
    -- pair of press releases repeating the same figure, which no auditor reads.
    select
        *,
        min(surface) over claim_mentions || case
            when qualifier = 'exact' then ''
            else ' (' || replace(qualifier, '_', ' ') || ')'
        end as label,
        -- The claim as the explanation writes it, in French ("environ 1,3 milliard d’euros"); the label above stays
        -- in the subject, which identifies the result from build to build.
        case qualifier
            when 'about' then 'environ '
            when 'more_than' then 'plus de '
            when 'less_than' then 'moins de '
            else ''
        end || min(surface) over claim_mentions as wording,
        count(*) over claim_mentions as document_count
    from claimed
    window claim_mentions as (partition by comparison_key, claim)
    qualify row_number() over (partition by comparison_key, claim order by document_id) <= 2

),

claim_pairs as (

    -- Two claims about the same subject, stated by two different documents; the smaller value is on the left, so that
    -- a pair keeps its subject when documents are added.
    select
        left_claim.comparison_key,
        left_claim.label || ' vs ' || right_claim.label as compared,
        left_claim.document_id as left_document_id,
        right_claim.document_id as right_document_id,
        left_claim.quote as left_quote,
        right_claim.quote as right_quote,
        left_claim.value as left_value,
        right_claim.value as right_value,
        left_claim.wording as left_wording,
        right_claim.wording as right_wording,
        left_claim.document_count as left_document_count,
        right_claim.document_count as right_document_count,
        left_claim.value_low <= right_claim.value_high
        and right_claim.value_low <= left_claim.value_high as agree
    from witnesses as left_claim
    inner join witnesses as right_claim
        on
            left_claim.comparison_key = right_claim.comparison_key
            and (left_claim.value, left_claim.claim) < (right_claim.value, right_claim.claim)
            and left_claim.document_id != right_claim.document_id
    qualify row_number() over (
        partition by left_claim.comparison_key, left_claim.claim, right_claim.claim
        order by left_claim.document_id, right_claim.document_id
    ) = 1

),

confirmations as (

    -- A claim stated by two documents or more: its first two documents are the evidence.
    select
        first_witness.comparison_key,
        first_witness.label as compared,
        first_witness.document_id as left_document_id,
        second_witness.document_id as right_document_id,
        first_witness.quote as left_quote,
        second_witness.quote as right_quote,
        first_witness.value as left_value,
        second_witness.value as right_value,
        first_witness.wording as left_wording,
        second_witness.wording as right_wording,
        first_witness.document_count as left_document_count,
        second_witness.document_count as right_document_count,
        true as agree
    from witnesses as first_witness
    inner join witnesses as second_witness
        on
            first_witness.comparison_key = second_witness.comparison_key
            and first_witness.claim = second_witness.claim
            and first_witness.document_id < second_witness.document_id

),

compared as (

    select
        *,
        false as is_same_claim
    from claim_pairs
    union all
    select
        *,
        true as is_same_claim
    from confirmations

)

select
    'same_figure_across_sources' as check_name,
    comparison_key || ' · ' || compared as subject,
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
        when is_same_claim
            then '« ' || left_wording || ' » : le même chiffre dans ' || left_document_count || ' documents.'
        else
            '« ' || left_wording || ' » (' || left_document_count
            || case when left_document_count = 1 then ' document' else ' documents' end
            || ') et « ' || right_wording || ' » (' || right_document_count
            || case when right_document_count = 1 then ' document' else ' documents' end
            || ') '
            || case
                when agree then 'concordent, compte tenu de leurs qualificatifs.'
                else 'ne concordent pas : deux sources, deux chiffres.'
            end
    end as explanation
from compared
