"""The `tdi` command itself: what it says about itself."""

from importlib.metadata import version

from tests.conftest import tdi


def test_tdi_says_its_version():
    result = tdi("--version")
    assert result.exit_code == 0 and result.output.strip() == f"tdi {version('tdi')}"
