{#- The columns identify each row: fails on each key that is missing (a column null) or occurs more than once.
    A table may have more than one such key. With latest_by, only among the rows where that column is greatest:
    for an append-only table whose earlier rows were checked when appended.
    One test per key rather than dbt's unique and not_null on each column: each test is a node of the build,
    and each node costs dbt some 30 ms of its own work whatever its rows (docs/scaling.md). -#}
{% test unique_key(model, columns, latest_by=none) %}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    {% if latest_by is not none -%}
        where {{ latest_by }} = (select max({{ latest_by }}) from {{ model }})
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1 or {{ columns | join(' is null or ') }} is null
{% endtest %}
