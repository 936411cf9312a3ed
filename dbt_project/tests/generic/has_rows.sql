{#- Fails when the model is empty: reference data the marts are built on must never be missing. -#}
{% test has_rows(model) %}
    select 'no rows' as failure
    where not exists (select 1 from {{ model }})
{% endtest %}
