{#- Use the folder's schema as it is (staging, marts, audit) instead of dbt's default
    "<target schema>_<custom schema>", because analysts query marts.dim_document, not main_marts. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
