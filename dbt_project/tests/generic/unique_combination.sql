{#- Fails on each combination of the columns that occurs more than once. With latest_by, only among the rows
    where that column is greatest: for an append-only table whose earlier rows were checked when appended. -#}
{% test unique_combination(model, columns, latest_by=none) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    {% if latest_by is not none -%}
        where {{ latest_by }} = (select max({{ latest_by }}) from {{ model }})
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
