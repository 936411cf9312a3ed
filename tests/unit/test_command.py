"""The `tdi` command itself: what it says about itself."""

from importlib.metadata import version

from tests.conftest import tdi


def test_tdi_says_its_version():
    result = tdi("--version")
    assert result.exit_code == 0 and result.output.strip() == f"tdi {version('tdi')}"


def test_show_names_a_capture_by_its_sha256_and_checks_its_bytes(tmp_path):
    import shutil

    from orchestration.project import DEFAULT_RAW_DIR

    raw_dir = shutil.copytree(DEFAULT_RAW_DIR, tmp_path / "raw", ignore=shutil.ignore_patterns("reference"))
    capture = next((raw_dir / "documents").glob("*.pdf"))
    sha256 = capture.stem

    shown = tdi("show", sha256[:12], "--raw-dir", str(raw_dir))
    assert shown.exit_code == 0, shown.output
    assert f"sha256       {sha256}" in shown.output and f"file         {capture}" in shown.output
    assert shown.output.rstrip().endswith("the file's bytes have this sha256")
    assert tdi("show", sha256, "--content", "--raw-dir", str(raw_dir)).stdout_bytes == capture.read_bytes()

    capture.write_bytes(capture.read_bytes() + b"%")
    altered = tdi("show", sha256, "--raw-dir", str(raw_dir))
    assert altered.exit_code == 1
    assert altered.output.splitlines()[-1].startswith(f"Error: {capture} no longer has this sha256")


def test_show_refuses_a_manifest_path_that_leaves_the_archive(tmp_path):
    """A manifest entry is data from elsewhere: `tdi show --content` writes nothing from outside raw/."""
    from ingestion.capture.archive import sha256_of

    raw_dir = tmp_path / "raw"
    assert tdi("init", str(raw_dir)).exit_code == 0
    outside = tmp_path / "secret.html"
    outside.write_bytes(b"<html><body>not in the archive</body></html>")
    sha256 = sha256_of(outside.read_bytes())
    manifest = raw_dir / "manifest.yml"
    manifest.write_text(
        "documents:\n"
        f"- {{document_id: d, path: ../secret.html, publisher: P, published_on: '2024-01-01', title: T,"
        f" content_type: text/html, sha256: {sha256}}}\n",
        encoding="utf-8",
    )
    shown = tdi("show", sha256, "--content", "--raw-dir", str(raw_dir))
    assert shown.exit_code == 1
    assert shown.output.strip() == "Error: d: path '../secret.html' leaves the archive"
