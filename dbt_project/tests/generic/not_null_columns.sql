{#- Fails on each of the columns that is null in some row, with the number of such rows: one query for the
    columns of a model that must always be filled, rather than dbt's not_null on each (each test is a node of
    the build, and each node costs dbt some 30 ms of its own work whatever its rows: docs/scaling.md).
    For a model without a key; a model with one checks them with its key (unique_key's `filled`). -#}
{% test not_null_columns(model, columns) %}
    {% for column in columns %}
        select
            '{{ column }}' as column_name,
            count(*) as null_rows
        from {{ model }}
        where {{ column }} is null
        having count(*) > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
