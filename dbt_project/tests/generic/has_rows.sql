{#- Fails when the model is empty: a mart that analysts rely on must not silently lose all its rows. -#}
{% test has_rows(model) %}
    select 'no rows' as failure
    where not exists (select 1 from {{ model }})
{% endtest %}
