"""The captures a warehouse was built from, checked against the raw archive as `git fsck` checks a repository:
each file's bytes against the sha256 the warehouse holds for it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.capture.archive import ArchiveError, CaptureAltered, CaptureMissing, RawArchive


def captures_not_as_built(warehouse: Path, raw_dir: Path) -> list[dict]:
    """One failed warehouse_integrity result per capture of the warehouse that is missing from `raw_dir` or whose
    bytes no longer have the sha256 the warehouse holds; none when the archive is as the warehouse was built."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        captures = connection.execute(
            "select document_id, sha256, capture_path from marts.dim_document order by document_id"
        ).fetchall()
    archive, problems = RawArchive(raw_dir), []
    for document_id, sha256, capture_path in captures:
        try:
            archive.verified_bytes(capture_path, sha256, document_id)
            continue
        except CaptureMissing:
            problem = f"{capture_path} est absent de l’archive {raw_dir}"
        except CaptureAltered:
            problem = f"les octets de {capture_path} n’ont plus le sha256 {sha256}"
        except ArchiveError:
            problem = f"le chemin {capture_path!r} sort de l’archive {raw_dir}"
        problems.append(
            {
                "check_name": "warehouse_integrity",
                "subject": f"capture {sha256[:12]} de {document_id}",
                "status": "fail",
                "severity": "error",
                "left_document_id": document_id,
                "explanation": (
                    f"Depuis la construction de l’entrepôt, {problem} : restaurez le fichier depuis une copie de "
                    f"raw/ (`tdi show {sha256[:12]}` le vérifie), puis relancez `tdi run`."
                ),
            }
        )
    return problems
