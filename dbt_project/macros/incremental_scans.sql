{#- The text scans (which lines name a territory, which a measure) are incremental by document: a build scans
    only the lines int_document_lines_split split in this build, after forgetting what earlier builds found in
    those documents (their text changed) and in documents that have no text any more. -#}

{% macro split_in_this_build() -%}
    split_at = cast('{{ run_started_at }}' as timestamptz)
{%- endmacro %}

{% macro forget_rescanned_documents(lines) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            document_id in (select document_id from {{ lines }} where {{ split_in_this_build() }})
            or document_id not in (select document_id from {{ lines }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- A territory that no document lists any more (and that the official list does not know) is named by no line. -#}
{% macro forget_territories_no_longer_matched(territories) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where territory_key not in (select territory_key from {{ territories }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
