"""`tdi refresh-reference` against a registry and a zonages site served on 127.0.0.1.

The served files are the committed reference data turned back into their published forms (the npm
package's JSON, one zonages file per département), so a refresh must give back the committed CSVs
byte for byte; the only difference is where each territory row was read from. A failed download, a
tampered package or a missing département file leaves the snapshot exactly as it was."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import tarfile
import threading
from collections import defaultdict
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from orchestration.project import DEFAULT_RAW_DIR
from tests.conftest import tdi

REFERENCE = DEFAULT_RAW_DIR / "reference"
PACKAGE = "@etalab/decoupage-administratif"
GEOGRAPHY_CSV = ("regions", "departements", "communes", "epci", "epci_communes", "ti_territoires_2023")


def read_csv(name: str) -> list[dict]:
    with (REFERENCE / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number_or_none(value: str):
    return int(value) if value else None


def package_data() -> dict[str, list[dict]]:
    """The package's data/*.json as Etalab publishes them, rebuilt from the committed CSVs."""
    members = defaultdict(list)
    for row in read_csv("epci_communes"):
        members[row["epci_siren"]].append({"code": row["commune_code"]})
    return {
        "regions": [{"code": r["code"], "nom": r["nom"], "zone": r["zone"]} for r in read_csv("regions")],
        "departements": [
            {"code": d["code"], "nom": d["nom"], "region": d["region_code"], "zone": d["zone"]}
            for d in read_csv("departements")
        ],
        "communes": [
            {
                "code": c["code"],
                "nom": c["nom"],
                "departement": c["departement_code"],
                "region": c["region_code"],
                "type": "commune-actuelle",
                **({"population": int(c["population"])} if c["population"] else {}),
                **({"siren": c["siren"]} if c["siren"] else {}),
            }
            for c in read_csv("communes")
        ]
        + [{"code": "75101", "nom": "Paris 1er Arrondissement", "type": "arrondissement-municipal"}],
        "epci": [
            {
                "code": e["siren"],
                "nom": e["nom"],
                "type": e["type"],
                "populationTotale": number_or_none(e["population_totale"]),
                "populationMunicipale": number_or_none(e["population_municipale"]),
                "membres": members[e["siren"]],
            }
            for e in read_csv("epci")
        ],
    }


def tarball(data: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in data.items():
            encoded = json.dumps(content, ensure_ascii=False).encode()
            info = tarfile.TarInfo(f"package/data/{name}.json")
            info.size = len(encoded)
            archive.addfile(info, io.BytesIO(encoded))
    return buffer.getvalue()


def zonages_files() -> dict[str, bytes]:
    """One file per département with communes, as rouages.fr publishes them (lib_ti second)."""
    by_departement = defaultdict(dict)
    for commune in read_csv("communes"):
        by_departement[commune["departement_code"]][commune["code"]] = [[], "", "CRTE", 0, "C", [], 0]
    for row in read_csv("ti_communes_2023"):
        by_departement[row["departement_code"]][row["insee_com"]][1] = row["lib_ti"]
    return {
        code: json.dumps({"maj": "2026-10-01", "dates": {"ti": "2026-08-21"}, "c": communes}).encode()
        for code, communes in by_departement.items()
    }


class Site:
    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.base_url = ""

    def publish_package(self, version: str, content: bytes, integrity_of: bytes | None = None) -> None:
        digest = hashlib.sha512(integrity_of or content).digest()
        tarball_path = f"/npm/{PACKAGE}/-/decoupage-administratif-{version}.tgz"
        self.files[tarball_path] = content
        self.files[f"/npm/{PACKAGE}/latest"] = json.dumps(
            {
                "version": version,
                "dist": {
                    "tarball": f"{self.base_url}{tarball_path}",
                    "integrity": "sha512-" + base64.b64encode(digest).decode(),
                },
            }
        ).encode()


@contextmanager
def serve(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = site.files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format, *args):
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def published():
    """What the two publishers serve, built once: the package and the zonages files."""
    return tarball(package_data()), zonages_files()


@pytest.fixture
def site(published):
    package, zonages = published
    with serve(Site()) as site:
        site.publish_package("6.0.0", package)
        for code, content in zonages.items():
            site.files[f"/zonages/{code}-zonages.json"] = content
        yield site


@pytest.fixture
def raw_dir(tmp_path, site):
    raw_dir = tmp_path / "raw"
    shutil.copytree(REFERENCE, raw_dir / "reference")
    sources = yaml.safe_load((REFERENCE / "sources.yml").read_text(encoding="utf-8"))
    sources["geography"]["registry"] = f"{site.base_url}/npm"
    sources["territoires_d_industrie"]["zonages_url"] = (
        f"{site.base_url}/zonages/{{departement}}-zonages.json"
    )
    (raw_dir / "reference" / "sources.yml").write_text(yaml.safe_dump(sources), encoding="utf-8")
    return raw_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_refresh_rebuilds_every_file_from_the_published_sources(raw_dir, site):
    provenance_before = (raw_dir / "reference" / "PROVENANCE.md").read_text(encoding="utf-8")

    result = tdi("refresh-reference", "--raw-dir", str(raw_dir))

    assert result.exit_code == 0, result.output
    assert "183 territories" in result.output
    for name in GEOGRAPHY_CSV:
        assert (raw_dir / "reference" / f"{name}.csv").read_bytes() == (
            REFERENCE / f"{name}.csv"
        ).read_bytes(), name
    static = "ti_territoires_2019_2022.csv"  # the list of Temps I, which nothing downloads: kept as it is
    assert (raw_dir / "reference" / static).read_bytes() == (REFERENCE / static).read_bytes()
    refreshed = list(
        csv.DictReader(io.StringIO((raw_dir / "reference" / "ti_communes_2023.csv").read_text()))
    )
    committed = read_csv("ti_communes_2023")
    assert [(r["insee_com"], r["lib_ti"], r["departement_code"]) for r in refreshed] == [
        (r["insee_com"], r["lib_ti"], r["departement_code"]) for r in committed
    ]
    assert refreshed[0]["source_commit"] == f"{site.base_url}/zonages/01-zonages.json"
    provenance = (raw_dir / "reference" / "PROVENANCE.md").read_text(encoding="utf-8")
    assert provenance.startswith(provenance_before)
    assert "by `tdi refresh-reference`" in provenance and f"{PACKAGE}@6.0.0" in provenance
    tarball_sha256 = hashlib.sha256(
        site.files[f"/npm/{PACKAGE}/-/decoupage-administratif-6.0.0.tgz"]
    ).hexdigest()
    assert tarball_sha256 in provenance
    assert not (raw_dir / "reference.new").exists() and not (raw_dir / "reference.old").exists()


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("missing-departement", "18-zonages.json: HTTP 404"),
        ("tampered-package", "the registry says"),
        ("registry-down", "download failed, snapshot kept"),
    ],
)
def test_a_failed_refresh_keeps_the_snapshot_byte_for_byte(raw_dir, site, published, breakage, message):
    if breakage == "missing-departement":
        del site.files["/zonages/18-zonages.json"]
    elif breakage == "tampered-package":
        package, _ = published
        site.publish_package("6.0.1", package[:-10] + b"0" * 10, integrity_of=package)
    else:
        site.files.clear()
    before = snapshot(raw_dir / "reference")

    result = tdi("refresh-reference", "--raw-dir", str(raw_dir))

    assert result.exit_code == 1
    assert message in result.output
    assert snapshot(raw_dir / "reference") == before
