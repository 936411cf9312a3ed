"""Schedules: the daily crawl, then the whole pipeline."""

import dagster as dg

from orchestration.jobs import crawl_then_everything_job

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=crawl_then_everything_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    description="Every morning at 06:00 Paris time, before analysts start: crawl the sources, then rebuild.",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
