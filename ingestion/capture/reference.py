"""`tdi refresh-reference`: download the current official reference files and rebuild raw/reference/.

The committed snapshot stays the offline default: a refresh is all or nothing. Every file is
downloaded, converted to the CSV layouts the loaders read (raw/reference/PROVENANCE.md describes
them) and checked in a staging folder; only when everything holds does the staging folder replace
raw/reference/ (two renames). A download that fails, a package whose integrity hash does not match,
or a result that fails a check leaves the snapshot exactly as it was and says why.

Where the files come from (raw/reference/sources.yml), as in PROVENANCE.md:
- geography (INSEE COG regions, départements, communes with population; DGCL EPCI and members):
  the `@etalab/decoupage-administratif` package of the npm registry, checked against the registry's
  sha512 integrity;
- communes of each Territoire d'industrie 2023–2027 (ANCT): the per-département "zonages" files
  of the rouages.fr repository, field `lib_ti`.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import yaml

from ingestion.capture.errors import FetchError, HTTPStatusError
from ingestion.capture.fetch import FetchPolicy, Session, build_session, fetch
from ingestion.capture.guard import URLGuard, host_of

SOURCES_FILE = "sources.yml"
PROVENANCE_FILE = "PROVENANCE.md"
GEOGRAPHY_FILES = ("regions", "departements", "communes", "epci")
MIN_TERRITORIES = 100
"""Fewer territories than this means a truncated or changed source, not a new list: the programme
has had 124, 149 and 183; a refresh that finds fewer is refused rather than published."""


class ReferenceRefreshError(Exception):
    """The refresh could not produce a complete, consistent set of files; the snapshot is unchanged."""


@dataclass(frozen=True)
class ReferenceSources:
    registry: str
    package: str
    version: str
    zonages_url: str
    """URL template with {departement}: one file per département."""
    departements_without_zonages: frozenset[str] = frozenset()

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset({host_of(self.registry), host_of(self.zonages_url)})


def load_reference_sources(path: Path) -> ReferenceSources:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        geography, territories = data["geography"], data["territoires_d_industrie"]
        return ReferenceSources(
            registry=geography["registry"].rstrip("/"),
            package=geography["package"],
            version=str(geography.get("version", "latest")),
            zonages_url=territories["zonages_url"],
            departements_without_zonages=frozenset(
                str(code) for code in territories.get("departements_without_zonages", [])
            ),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        raise ReferenceRefreshError(f"{path}: cannot be read as reference sources: {error!r}") from error


@dataclass
class Download:
    url: str
    sha256: str
    size: int
    fetched_at: str


@dataclass
class RefreshReport:
    package_version: str
    downloads: list[Download] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    territories: int = 0
    zonages_dates: set[str] = field(default_factory=set)


class Downloader:
    """Fetches through the crawler's fetch (retries, size cap, timeouts) on the configured hosts only,
    and remembers what it fetched for the provenance."""

    def __init__(self, sources: ReferenceSources, policy: FetchPolicy, session: Session | None):
        self.policy = policy
        self.session = session or build_session(policy)
        self.guard = URLGuard(sources.allowed_hosts)
        self.downloads: list[Download] = []

    def get(self, url: str) -> bytes:
        response = fetch(url, self.session, policy=self.policy, admit=self.guard.check)
        self.downloads.append(
            Download(
                url, hashlib.sha256(response.content).hexdigest(), len(response.content), response.fetched_at
            )
        )
        return response.content

    def get_json(self, url: str):
        try:
            return json.loads(self.get(url))
        except ValueError as error:
            raise ReferenceRefreshError(f"{url}: not JSON: {error}") from error


def refresh_reference(
    reference_dir: Path,
    *,
    policy: FetchPolicy | None = None,
    session: Session | None = None,
    progress=lambda message: None,
) -> RefreshReport:
    """Download, convert, check, then replace reference_dir's CSV files and extend its provenance."""
    sources = load_reference_sources(reference_dir / SOURCES_FILE)
    downloader = Downloader(sources, policy or FetchPolicy(), session)
    try:
        version, data = download_package(downloader, sources, progress)
        tables = geography_tables(data)
        report = RefreshReport(package_version=version)
        ti_communes, report.zonages_dates = download_territories(
            downloader, sources, [row[0] for row in tables["departements"][1]], progress
        )
    except FetchError as error:
        raise ReferenceRefreshError(f"download failed, snapshot kept: {error}") from error
    tables["ti_communes_2023"] = (["insee_com", "lib_ti", "departement_code", "source_commit"], ti_communes)
    tables["ti_territoires_2023"] = territories_table(ti_communes, tables["communes"][1])
    check_tables(tables)
    report.downloads = downloader.downloads
    report.row_counts = {name: len(rows) for name, (_, rows) in tables.items()}
    report.territories = len(tables["ti_territoires_2023"][1])
    publish(reference_dir, tables, provenance_section(report, sources))
    return report


def download_package(downloader: Downloader, sources: ReferenceSources, progress) -> tuple[str, dict]:
    """The package's data/*.json, from the tarball the registry names, checked against its integrity."""
    metadata = downloader.get_json(
        f"{sources.registry}/{quote(sources.package, safe='@/')}/{sources.version}"
    )
    try:
        version, tarball_url, integrity = (
            metadata["version"],
            metadata["dist"]["tarball"],
            metadata["dist"]["integrity"],
        )
    except (KeyError, TypeError) as error:
        raise ReferenceRefreshError(f"registry answer for {sources.package} lacks {error}") from error
    progress(f"{sources.package} {version}: {tarball_url}")
    tarball = downloader.get(tarball_url)
    check_integrity(tarball, integrity, tarball_url)
    data = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for name in GEOGRAPHY_FILES:
            try:
                member = archive.extractfile(f"package/data/{name}.json")
            except KeyError as error:
                raise ReferenceRefreshError(f"{tarball_url}: no package/data/{name}.json") from error
            data[name] = json.load(member)
    return version, data


def check_integrity(content: bytes, integrity: str, url: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in {"sha512", "sha384", "sha256"}:
        raise ReferenceRefreshError(f"{url}: integrity {integrity!r} uses an unknown algorithm")
    actual = base64.b64encode(hashlib.new(algorithm, content).digest()).decode()
    if actual != expected:
        raise ReferenceRefreshError(f"{url}: {algorithm} is {actual}, the registry says {expected}")


def geography_tables(data: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The CSV layouts of PROVENANCE.md, section A, from the package's JSON."""
    try:
        communes = [c for c in data["communes"] if c.get("type") == "commune-actuelle"]
        return {
            "regions": (["code", "nom", "zone"], [[r["code"], r["nom"], r["zone"]] for r in data["regions"]]),
            "departements": (
                ["code", "nom", "region_code", "zone"],
                sorted([d["code"], d["nom"], d["region"], d["zone"]] for d in data["departements"]),
            ),
            "communes": (
                ["code", "nom", "departement_code", "region_code", "population", "siren"],
                sorted(
                    [c["code"], c["nom"], c["departement"], c["region"], c.get("population"), c.get("siren")]
                    for c in communes
                ),
            ),
            "epci": (
                ["siren", "nom", "type", "population_totale", "population_municipale"],
                [
                    [e["code"], e["nom"], e["type"], e.get("populationTotale"), e.get("populationMunicipale")]
                    for e in data["epci"]
                ],
            ),
            "epci_communes": (
                ["epci_siren", "commune_code"],
                sorted([e["code"], member["code"]] for e in data["epci"] for member in e["membres"]),
            ),
        }
    except (KeyError, TypeError) as error:
        raise ReferenceRefreshError(f"the package's JSON lacks a field the CSV needs: {error!r}") from error


def download_territories(
    downloader: Downloader, sources: ReferenceSources, departements: list[str], progress
) -> tuple[list[list], set[str]]:
    """Every commune with a Territoire d'industrie, from each département's zonages file."""
    rows, dates = [], set()
    for code in departements:
        if code in sources.departements_without_zonages:
            continue
        url = sources.zonages_url.format(departement=code)
        progress(f"zonages {code}")
        try:
            zonages = downloader.get_json(url)
        except HTTPStatusError as error:
            raise ReferenceRefreshError(
                f"{url}: {error}; a département without a file must be listed in departements_without_zonages"
            ) from error
        try:
            dates.add(zonages["dates"]["ti"])
            rows.extend(
                [insee, record[1], code, url] for insee, record in sorted(zonages["c"].items()) if record[1]
            )
        except (KeyError, TypeError, IndexError) as error:
            raise ReferenceRefreshError(f"{url}: not a zonages file ({error!r})") from error
    rows.sort(key=lambda row: row[0])
    return rows, dates


def territories_table(ti_communes: list[list], communes: list[list]) -> tuple[list[str], list[list]]:
    """One row per territory: its communes, départements (from the file names) and regions."""
    region_of = {commune[0]: commune[3] for commune in communes}
    grouped: dict[str, list[list]] = defaultdict(list)
    for row in ti_communes:
        grouped[row[1]].append(row)
    return (
        ["lib_ti", "n_communes", "departements", "region_codes"],
        [
            [
                name,
                len(rows),
                ";".join(sorted({row[2] for row in rows})),
                ";".join(sorted({region_of.get(row[0], "") for row in rows})),
            ]
            for name, rows in sorted(grouped.items())
        ],
    )


def check_tables(tables: dict) -> None:
    """What PROVENANCE.md checks on the snapshot, checked again on the refreshed files."""
    communes = {row[0] for row in tables["communes"][1]}
    departements = {row[0] for row in tables["departements"][1]}
    problems = []
    ti_codes = [row[0] for row in tables["ti_communes_2023"][1]]
    unknown = sorted(set(ti_codes) - communes)
    if unknown:
        problems.append(f"{len(unknown)} commune(s) of a territory are not current communes: {unknown[:5]}")
    if len(ti_codes) != len(set(ti_codes)):
        problems.append("a commune is listed in two territories")
    if not {row[2] for row in tables["communes"][1]} <= departements:
        problems.append("a commune's département is not in departements.csv")
    territories = len(tables["ti_territoires_2023"][1])
    if territories < MIN_TERRITORIES:
        problems.append(f"only {territories} territories (at least {MIN_TERRITORIES} expected)")
    if problems:
        raise ReferenceRefreshError(
            "the refreshed files fail their checks, snapshot kept: " + "; ".join(problems)
        )


def publish(reference_dir: Path, tables: dict, provenance: str) -> None:
    """Write the new folder beside the old one, then swap them: a crash leaves one or the other."""
    staging = reference_dir.with_name(reference_dir.name + ".new")
    retired = reference_dir.with_name(reference_dir.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)
    shutil.copytree(reference_dir, staging)
    for name, (header, rows) in tables.items():
        path = staging / f"{name}.csv"
        line_ending = line_ending_of(path)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=line_ending)
            writer.writerow(header)
            writer.writerows(["" if value is None else value for value in row] for row in rows)
    with (staging / PROVENANCE_FILE).open("a", encoding="utf-8") as handle:
        handle.write(provenance)
    reference_dir.rename(retired)
    staging.rename(reference_dir)
    shutil.rmtree(retired)


def line_ending_of(path: Path) -> str:
    """The snapshot file's line ending, kept so that a refresh that changes nothing changes no byte."""
    if path.exists():
        with path.open("rb") as handle:
            return "\r\n" if handle.readline().endswith(b"\r\n") else "\n"
    return "\n"


def provenance_section(report: RefreshReport, sources: ReferenceSources) -> str:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [
        "",
        f"## Refreshed on {now} by `tdi refresh-reference`",
        "",
        f"* Geography: npm `{sources.package}@{report.package_version}` from {sources.registry} "
        "(tarball checked against the registry's integrity hash).",
        f"* Territoires d'industrie: {sources.zonages_url} (TI data dated {', '.join(sorted(report.zonages_dates))}); "
        "`source_commit` holds the URL each row was read from.",
        f"* Territories: {report.territories}.",
        "* Rows: " + ", ".join(f"{name} {count}" for name, count in report.row_counts.items()) + ".",
        "* Files downloaded (sha256):",
        *(f"  * {d.url} ({d.size} bytes, {d.fetched_at}): `{d.sha256}`" for d in report.downloads),
        "",
    ]
    return "\n".join(lines)
