"""``init`` as a library call: write the default regulation (quy-che.toml) for the clerk to edit."""

from __future__ import annotations

from pathlib import Path

from thidua_cli.errors import UsageError

FILE_NAME = "quy-che.toml"


def write_default_regulation(folder: Path, *, force: bool = False) -> Path:
    """Write the shipped, commented regulation as ``folder/quy-che.toml`` (the folder created if
    missing); the path written. Refuses (exit 6) an existing file without ``force``."""
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.regulation import default_toml_text

    if folder.exists() and not folder.is_dir():
        # Said the init way: a clerk who typed the workbook's name instead of a folder.
        raise UsageError(
            f"{folder} là một tệp, không phải thư mục. Hãy chỉ ra một thư mục, ví dụ: "
            "thidua init quy-che-2026"
        )
    from thidua_cli.io.outputs import Protected, guard

    target = folder / FILE_NAME
    guard([target], Protected(), force=force, other="thư mục khác")
    make_output_folder(folder)
    write_atomic(target, default_toml_text().encode("utf-8"), force=force)
    return target
