-- The official list of Temps I (2019–2022) has 149 territories at the end of the phase (ANCT); a different count
-- means the reference snapshot was damaged or replaced by a file of another scope.
select count(*) as n_territories
from {{ ref('stg_reference__ti_territoires_2019_2022') }}
having count(*) <> 149
