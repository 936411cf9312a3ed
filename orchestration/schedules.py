"""Schedules: the daily run of the whole pipeline."""

import dagster as dg

from orchestration.jobs import everything_job

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=everything_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    description="Every morning at 06:00 Paris time, before analysts start.",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
