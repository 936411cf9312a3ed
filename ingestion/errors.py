"""Recorded errors: a failure of one document at one stage becomes a row, never a silent gap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa

ERROR_SCHEMA = pa.schema(
    [
        ("document_id", pa.string()),
        ("source", pa.string()),
        ("stage", pa.string()),
        ("error_class", pa.string()),
        ("message", pa.string()),
        ("recorded_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class StageError:
    document_id: str | None
    source: str
    stage: str
    error_class: str
    message: str
    recorded_at: datetime

    @classmethod
    def from_exception(cls, exception: BaseException, *, stage: str, document_id: str | None, source: str):
        message = str(exception) or repr(exception)
        return cls(document_id, source, stage, type(exception).__name__, message, datetime.now(UTC))
