{#- The columns identify each row: fails on each key that is missing (a column null) or occurs more than once,
    and, with `filled`, on each key with a row that leaves one of those columns empty, which its failing row
    names (empty_columns). A table may have more than one such key.
    With latest_by, only among the rows where that column is greatest, or null (not known to be earlier): for an
    append-only table whose earlier rows were checked when appended.
    One test per model rather than dbt's unique and not_null on each column: each test is a node of the build,
    and each node costs dbt some 30 ms of its own work whatever its rows (docs/scaling.md). -#}
{% test unique_key(model, columns, filled=[], latest_by=none) %}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
        {%- if filled %},
        nullif(concat_ws(', '
            {%- for column in filled %},
            case when bool_or({{ column }} is null) then '{{ column }}' end
            {%- endfor %}
        ), '') as empty_columns
        {%- endif %}
    from {{ model }}
    {% if latest_by is not none -%}
        where {{ latest_by }} = (select max({{ latest_by }}) from {{ model }}) or {{ latest_by }} is null
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1 or {{ columns | join(' is null or ') }} is null
    {%- for column in filled %}
        or bool_or({{ column }} is null)
    {%- endfor %}
{% endtest %}
