{#- The phase a document of that date speaks of when it names none: Temps I before Temps II was announced
    (var temps_ii_announced_on), Temps II from then on. -#}
{% macro phase_of_date(column) -%}
    case when {{ column }} < date '{{ var("temps_ii_announced_on") }}' then 'Temps I' else 'Temps II' end
{%- endmacro %}
