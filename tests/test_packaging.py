"""What a fresh install needs: every shipped data file is declared as package data."""
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def declared(package: str, name: str) -> bool:
    return any(fnmatch.fnmatch(name, pat) for pat in CONFIG["package-data"].get(package, []))


def test_every_model_file_is_package_data():
    assert CONFIG["package-dir"]["escalsignal._models"] == "models"
    files = [p.name for p in (ROOT / "models").iterdir() if p.is_file()]
    assert files and all(declared("escalsignal._models", f) for f in files), files


def test_every_pattern_and_config_file_is_package_data():
    for package, folder in (("escalsignal.patterns", "patterns"), ("escalsignal.config", "config")):
        files = [p.name for p in (ROOT / "escalsignal" / folder).iterdir() if p.is_file() and p.name != "__init__.py"]
        assert files and all(declared(package, f) for f in files), (package, files)


def test_console_script_points_at_the_cli():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["escalsignal"] == "escalsignal.cli:main"
