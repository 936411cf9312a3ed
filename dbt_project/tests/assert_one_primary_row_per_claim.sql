-- A sum over the primary rows counts each claim once: every claim of fct_figures has exactly one primary row,
-- and fct_funding's rows agree with fct_figures on it.
select
    figures.claim_id,
    count(*) filter (where figures.is_primary_claim) as n_primary
from {{ ref('fct_figures') }} as figures
group by figures.claim_id
having count(*) filter (where figures.is_primary_claim) <> 1
union all
select
    funding.claim_id,
    null as n_primary
from {{ ref('fct_funding') }} as funding
inner join {{ ref('fct_figures') }} as figures on funding.figure_id = figures.figure_id
where funding.claim_id <> figures.claim_id or funding.is_primary_claim <> figures.is_primary_claim
