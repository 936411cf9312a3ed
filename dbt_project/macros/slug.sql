{#- A readable identifier from a name: lowercase ASCII words joined by hyphens ("Est du Loiret" gives
    "est-du-loiret", "Fonds d’accélération" gives "fonds-d-acceleration", "Cœur de Maine" gives "coeur-de-maine"),
    at most max_length characters. -#}
{% macro slug(column, max_length=60) -%}
    rtrim(left(trim(regexp_replace(
        replace(replace(lower(strip_accents({{ column }})), 'œ', 'oe'), 'æ', 'ae'), '[^a-z0-9]+', '-', 'g'
    ), '-'), {{ max_length }}), '-')
{%- endmacro %}
