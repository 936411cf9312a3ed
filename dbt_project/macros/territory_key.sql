{#- A spelling-proof key for a territory name: "Berry-Sologne" and "Berry Sologne",
    "Sologne - Val de Cher" and "Sologne Val de Cher", en dash or hyphen, ’ or ', accents or not,
    all give the same key. -#}
{% macro territory_key(column) -%}
    trim(regexp_replace(lower(strip_accents({{ column }})), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}
