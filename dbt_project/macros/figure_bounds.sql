{#- The interval of true values a stated figure allows, so that two figures "agree" when their intervals meet:
    "environ 1,3 milliard" allows ±about_tolerance, "plus de 36 M€" allows anything above 36 M€, an exact euro
    amount allows its rounding (relative rounding_tolerance), an exact count allows only itself. -#}
{% macro figure_low(value, qualifier, unit) -%}
    case {{ qualifier }}
        when 'about' then {{ value }} * (1 - {{ var('about_tolerance') }})
        when 'more_than' then {{ value }}
        when 'less_than' then 0
        else {{ value }} * (1 - case when {{ unit }} = 'count' then 0 else {{ var('rounding_tolerance') }} end)
    end
{%- endmacro %}

{% macro figure_high(value, qualifier, unit) -%}
    case {{ qualifier }}
        when 'about' then {{ value }} * (1 + {{ var('about_tolerance') }})
        when 'more_than' then 'infinity'::double
        when 'less_than' then {{ value }}
        else {{ value }} * (1 + case when {{ unit }} = 'count' then 0 else {{ var('rounding_tolerance') }} end)
    end
{%- endmacro %}
