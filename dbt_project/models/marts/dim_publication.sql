-- One row per publication: a page and the documents attached to it.
with

documents as (

    select * from {{ ref('stg_raw__documents') }}

),

publications as (

    select * from {{ ref('int_publications_grouped') }}

),

claims as (

    select * from {{ ref('int_figures_claimed') }}

),

members as (

    select
        publications.publication_id,
        count(*) as n_documents,
        list(publications.document_id order by not publications.is_publication_page, publications.document_id)
            as document_ids
    from publications
    group by publications.publication_id

),

claim_counts as (

    select
        publication_id,
        count(distinct claim_id) as n_claims,
        count(*) as n_statements
    from claims
    group by publication_id

)

select
    members.publication_id,
    documents.title,
    documents.publisher,
    documents.published_on,
    documents.source_url,
    members.n_documents,
    members.document_ids,
    coalesce(claim_counts.n_claims, 0) as n_claims,
    coalesce(claim_counts.n_statements, 0) as n_figures
from members
inner join documents on members.publication_id = documents.document_id
left join claim_counts on members.publication_id = claim_counts.publication_id
