-- Every reconciliation check of this run, one row per subject, with both sides' evidence: the rows of the tables
-- of the checks, under one set of columns.
with

stated_vs_listed as (

    select * from {{ ref('audit_stated_vs_listed') }}

),

same_figure_across_sources as (

    select * from {{ ref('audit_same_figure_across_sources') }}

),

counts_over_time as (

    select * from {{ ref('audit_counts_over_time') }}

),

part_vs_whole as (

    select * from {{ ref('audit_part_vs_whole') }}

),

regions_vs_national as (

    select * from {{ ref('audit_regions_vs_national') }}

),

against_reference as (

    select * from {{ ref('audit_against_reference') }}

),

plausibility as (

    select * from {{ ref('audit_plausibility') }}

),

warehouse_integrity as (

    select * from {{ ref('audit_warehouse_integrity') }}

),

all_checks as (

    select * from stated_vs_listed
    union all by name
    select * from same_figure_across_sources
    union all by name
    select * from counts_over_time
    union all by name
    select * from part_vs_whole
    union all by name
    select * from regions_vs_national
    union all by name
    select * from against_reference
    union all by name
    select * from plausibility
    union all by name
    select * from warehouse_integrity

)

select
    md5(check_name || ':' || subject) as result_id,
    check_name,
    subject,
    status,
    severity,
    expected,
    observed,
    tolerance,
    left_document_id,
    left_quote,
    right_document_id,
    right_quote,
    explanation
from all_checks
