{#- The text without its parenthesised asides, nested ones included (two levels, as press releases write them):
    "(récupéré sur des enveloppes du PIC, du PIA (programme …))" says where money comes from, not what it is for. -#}
{% macro without_asides(column) -%}
    regexp_replace(regexp_replace({{ column }}, '\([^()]*\)', '', 'g'), '\([^()]*\)', '', 'g')
{%- endmacro %}
