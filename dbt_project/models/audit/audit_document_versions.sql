-- What changed when a page changed: each version of every document captured more than once, with the
-- figures it gained and lost since the version before (compared as written, value and metric).
with

versions as (

    select * from {{ ref('stg_raw__document_versions') }}

),

figures as (

    select * from {{ ref('stg_raw__figure_versions') }}

),

changed_documents as (

    select document_id
    from versions
    group by document_id
    having count(*) > 1

),

figure_keys as (

    select distinct
        figures.document_id,
        figures.document_version,
        figures.surface,
        figures.value,
        figures.metric
    from figures
    inner join changed_documents on figures.document_id = changed_documents.document_id

),

gained as (

    select
        current_version.document_id,
        current_version.document_version,
        list(current_version.surface order by current_version.surface) as figures_gained
    from figure_keys as current_version
    where
        current_version.document_version > 1
        and not exists (
            select 1
            from figure_keys as previous_version
            where
                previous_version.document_id = current_version.document_id
                and previous_version.document_version = current_version.document_version - 1
                and previous_version.surface = current_version.surface
                and previous_version.value = current_version.value
                and previous_version.metric = current_version.metric
        )
    group by current_version.document_id, current_version.document_version

),

lost as (

    select
        previous_version.document_id,
        previous_version.document_version + 1 as document_version,
        list(previous_version.surface order by previous_version.surface) as figures_lost
    from figure_keys as previous_version
    where
        not exists (
            select 1
            from figure_keys as current_version
            where
                current_version.document_id = previous_version.document_id
                and current_version.document_version = previous_version.document_version + 1
                and current_version.surface = previous_version.surface
                and current_version.value = previous_version.value
                and current_version.metric = previous_version.metric
        )
    group by previous_version.document_id, previous_version.document_version

),

figure_counts as (

    select
        document_id,
        document_version,
        count(*) as n_figures
    from figures
    group by document_id, document_version

)

select
    versions.document_id,
    versions.document_version,
    versions.is_latest_version,
    versions.sha256,
    versions.capture_path,
    versions.source_url,
    versions.etag,
    versions.http_last_modified,
    versions.first_seen_at,
    versions.last_seen_at,
    coalesce(figure_counts.n_figures, 0) as n_figures,
    coalesce(gained.figures_gained, []) as figures_gained,
    case
        when versions.document_version = 1 then []
        else coalesce(lost.figures_lost, [])
    end as figures_lost
from versions
inner join changed_documents on versions.document_id = changed_documents.document_id
left join figure_counts
    on
        versions.document_id = figure_counts.document_id
        and versions.document_version = figure_counts.document_version
left join gained
    on
        versions.document_id = gained.document_id
        and versions.document_version = gained.document_version
left join lost
    on
        versions.document_id = lost.document_id
        and versions.document_version = lost.document_version
order by versions.document_id, versions.document_version
