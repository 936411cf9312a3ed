{#- Numbers and dates in the checks' French explanations, written as a French reader writes them: "1 255"
    (narrow no-break space between thousands, as the report's babel formatting does), "47,1" (one decimal, none when it is 0), "23/11/2018". -#}
{% macro french_integer(value) -%}
    replace(format('{:,}', ({{ value }})::bigint), ',', chr(8239))
{%- endmacro %}

{% macro french_decimal(value) -%}
    regexp_replace(replace(format('{:.1f}', {{ value }}), '.', ','), ',0$', '')
{%- endmacro %}

{% macro french_date(value) -%}
    strftime({{ value }}, '%d/%m/%Y')
{%- endmacro %}
