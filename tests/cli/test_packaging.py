"""The wheel ships what the installed command needs: templates, the default regulation, py.typed;
and `thidua --help` starts without importing the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("thidua-*.whl")
    return found


def test_wheel_contains_templates_and_default_regulation(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {n for n in names if n.startswith("thidua_cli/templates/")}
    shipped = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src/thidua_cli/templates").rglob("*") if p.is_file()}
    assert shipped and shipped <= templates, shipped - templates
    assert "thidua_cli/data/quy-che-mac-dinh.toml" in names
    assert "thidua_cli/py.typed" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "thidua = thidua_cli.cli.app:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_package_finds_its_templates() -> None:
    """Run from a non-editable install (the README's test command installs with `pip install .`):
    the templates resolve inside the installed package, not the source tree."""
    from importlib.resources import files

    import thidua_cli

    templates = files("thidua_cli") / "templates"
    assert any(t.name.endswith(".docx") for t in templates.iterdir())
    assert (files("thidua_cli") / "data" / "quy-che-mac-dinh.toml").is_file()
    assert Path(thidua_cli.__file__).parent.joinpath("templates").is_dir()


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from thidua_cli.cli.app import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'xlsxwriter', 'docxtpl', 'docx', 'python_calamine', 'numpy') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY=", proc.stdout
