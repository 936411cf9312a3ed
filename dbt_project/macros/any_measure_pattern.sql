{#- One regular expression that matches wherever any pattern of the measure lexicon matches, as a SQL literal,
    to keep only the texts worth joining with the lexicon: DuckDB compiles a constant pattern once, but a pattern
    read from a column once per row. Read from the seed when the model runs; empty (matches all) at parse time. -#}
{% macro any_measure_pattern() -%}
    {%- if execute -%}
        {%- set patterns = run_query('select pattern from ' ~ ref('measure_lexicon') ~ ' order by measure_id') -%}
        {%- set alternatives = [] -%}
        {%- for pattern in patterns.columns[0].values() -%}
            {%- do alternatives.append('(?:' ~ pattern ~ ')') -%}
        {%- endfor -%}
        '{{ alternatives | join("|") | replace("'", "''") }}'
    {%- else -%}
        ''
    {%- endif -%}
{%- endmacro %}
