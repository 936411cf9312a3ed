{#- Fails on each check result whose status is 'fail'. Severity is set where the test is used: warn for
    findings about the sources (they disagree: that is what auditors come for), error for the warehouse's
    own integrity. -#}
{% test has_no_failed_checks(model) %}
    select check_name, subject, expected, observed, explanation
    from {{ model }}
    where status = 'fail'
{% endtest %}
