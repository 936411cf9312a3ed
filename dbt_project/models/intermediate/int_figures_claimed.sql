-- Which claim each figure states: the same value, unit and metric, for the same region, stated more than once
-- in one publication (a sentence repeated, a page and its PDF) is one claim. One row of each claim is its
-- primary row, so that summing the primary rows counts each stated fact once; the primary row is the one that
-- says most (it names a fund, a region), then the page's before an attached file's, then the first in the text.
with

figures as (

    select * from {{ ref('int_figures_scoped') }}

),

publications as (

    select * from {{ ref('int_publications_grouped') }}

),

keyed as (

    select
        figures.figure_id,
        publications.publication_id,
        publications.publication_id
        || '/' || figures.metric
        || '-' || regexp_replace(cast(cast(figures.value as decimal(20, 2)) as varchar), '\.00$', '')
        || '-' || lower(figures.unit)
        || coalesce('-' || {{ slug('figures.region') }}, '') as claim_id,
        figures.fund is null as names_no_fund,
        figures.region is null as names_no_region,
        not publications.is_publication_page as is_attached_file,
        figures.char_start
    from figures
    inner join publications on figures.document_id = publications.document_id

)

select
    figure_id,
    publication_id,
    claim_id,
    row_number() over (
        partition by claim_id
        order by names_no_fund, names_no_region, is_attached_file, char_start, figure_id
    ) = 1 as is_primary_claim,
    count(*) over (partition by claim_id) as n_statements
from keyed
