{#- The text scans (which lines name a territory, which a measure) are incremental by document: a build scans
    only the lines int_document_lines_split split in this build, after forgetting what earlier builds found in
    those documents (their text changed) and in documents that have no text any more. -#}

{#- When this build started: the same in every model of one `dbt build`. -#}
{% macro this_build() -%}
    cast('{{ run_started_at }}' as timestamptz)
{%- endmacro %}

{% macro split_in_this_build() -%}
    split_at = {{ this_build() }}
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

{#- What was found for a territory no longer matched, or matched anew (new in this build, or renamed), is
    forgotten: the territory is searched for again in every text (int_territories_matched.changed_at). -#}
{% macro forget_territories_changed(territories) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where territory_key not in (
            select territory_key from {{ territories }} where changed_at < {{ this_build() }}
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
