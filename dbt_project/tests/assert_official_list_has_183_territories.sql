-- The official 2023–2027 list has 183 territories (ANCT); a different count means the reference snapshot
-- was damaged or replaced by a file of another scope.
select count(*) as n_territories
from {{ ref('stg_reference__ti_territoires_2023') }}
having count(*) <> 183
