{#- The documents that a model incremental by document writes again: those with a row that the table does not
    hold as it is (new, changed). `rows` names the model's rows before they are written, `columns` those compared,
    and `held_columns` the table's names for them where the table renames them. -#}
{% macro documents_not_held(rows, columns, held_columns=none) -%}
    select not_held.document_id from (
        select {{ columns | join(', ') }} from {{ rows }}
        except
        select {{ (held_columns or columns) | join(', ') }} from {{ this }}
    ) as not_held
{%- endmacro %}
