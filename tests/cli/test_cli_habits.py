"""issue 13: the same habits in every command: the order of the commands, -f everywhere,
exit codes through pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
THIDUA = [sys.executable, "-m", "thidua_cli"]


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}


def test_commands_in_the_order_of_the_work(run_cli: Any) -> None:
    text = run_cli("--help").stdout
    from thidua_cli.cli.app import WORK_ORDER

    order = [name for name in WORK_ORDER if f"  {name} " in text]
    assert {"init", "forms", "collect", "validate", "kpi", "score", "awards", "initiatives",
            "publish", "ledger", "render", "templates"} <= set(order), text
    positions = [text.index(f"  {name} ") for name in order]
    assert positions == sorted(positions), text


def test_force_has_f_in_every_command(run_cli: Any) -> None:
    for command in (["init"], ["validate"], ["score"], ["awards"], ["ledger", "export"],
                    ["render"], ["templates", "export"]):
        text = run_cli(*command, "--help").stdout
        assert "-f, --force" in text or "--force, -f" in text or "-f" in text.split("--force")[0][-8:], (command, text)


def test_a_closed_stdout_keeps_the_result_code(tmp_path: Path) -> None:
    """`thidua … | head`: the reader goes away; the command ends with its own code, quietly."""
    for args, code in ((["score", str(EXAMPLES / "quy-4-2026.xlsx"), "--json", "--no-output"], 0),
                       (["validate", str(EXAMPLES / "nop-ve")], 1)):
        with subprocess.Popen([*THIDUA, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=_env(), cwd=tmp_path) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.readline()
            proc.stdout.close()  # as `head -1` does
            err = proc.stderr.read().decode("utf-8")
            assert proc.wait(timeout=120) == code, err
        assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


def test_ledger_show_unknown_person_is_exit_1(run_cli: Any, tmp_path: Path) -> None:
    import shutil

    db = Path(shutil.copy(EXAMPLES / "thidua.db", tmp_path / "thidua.db"))
    result = run_cli("ledger", "show", "KHONG-CO", "--ledger", db)
    assert result.exit_code == 1, result.output
    assert "không có mã nhân viên" in result.stderr


def test_score_takes_folders_and_skips_lock_files_and_own_outputs(run_cli: Any,
                                                                  tmp_path: Path) -> None:
    """issue 13: `thidua score "nộp về"/*.xlsx` aborted on Excel's lock file, and a folder was
    refused; both are taken as validate takes them, with a note."""
    import json
    import shutil

    folder = tmp_path / "nộp về"
    folder.mkdir()
    for name in ("khoa-duoc.xlsx", "khoa-tim-mach.xlsx"):
        shutil.copy(EXAMPLES / "nop-ve" / name, folder / name)
    (folder / "~$khoa-duoc.xlsx").write_bytes(b"\x00" * 165)  # what Excel leaves while open
    shutil.copy(EXAMPLES / "nop-ve" / "khoa-duoc.xlsx", folder / "cu.kiem-tra.xlsx")
    globbed = sorted(folder.glob("*.xlsx"))
    assert len(globbed) == 4
    result = run_cli("score", *globbed, "--period", "2026-Q4", "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    assert "Bỏ qua" in result.stderr and "~$khoa-duoc.xlsx" in result.stderr
    people = json.loads(result.stdout)["people"]
    by_folder = run_cli("score", folder, "--period", "2026-Q4", "--json", "--no-output")
    assert by_folder.exit_code == 0, by_folder.stderr
    assert json.loads(by_folder.stdout)["people"] == people


def test_awards_takes_a_folder_and_skips_lock_files(run_cli: Any, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "nam"
    shutil.copytree(EXAMPLES / "nam-2026", folder)
    (folder / "~$quy-1-2026.xlsx").write_bytes(b"\x00" * 165)
    result = run_cli("awards", folder, "--ledger", tmp_path / "x.db", "--no-output",
                     "--decision-date", "2026-12-20")
    assert result.exit_code == 0, result.stderr
    assert "Bỏ qua" in result.stderr and "tệp khoá" in result.stderr


def _stderr_through_a_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run thidua with stderr on a pseudo-terminal (as a clerk's window), stdout piped."""
    import pty
    import select

    master, slave = pty.openpty()
    env = {**_env(), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen([*THIDUA, *args], stdout=subprocess.DEVNULL, stderr=slave, env=env,
                          cwd=cwd) as proc:
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=120)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_never_in_pipes(tmp_path: Path) -> None:
    args = ["score", str(EXAMPLES / "quy-4-2026.xlsx"), "--no-output"]
    code, seen = _stderr_through_a_terminal(args, tmp_path)
    assert code == 0, seen
    assert "Đang đọc" in seen or "Đang chấm điểm" in seen, seen
    quiet_code, quiet = _stderr_through_a_terminal([*args, "--quiet"], tmp_path)
    assert quiet_code == 0 and "Đang đọc" not in quiet and "Đang chấm" not in quiet
    piped = subprocess.run([*THIDUA, *args], capture_output=True, env=_env(), cwd=tmp_path,
                           check=False)
    assert piped.returncode == 0
    assert "Đang" not in piped.stderr.decode("utf-8")


def test_validate_and_awards_show_progress_on_a_terminal_only(tmp_path: Path) -> None:
    """The same habit as score: the status line on a terminal's stderr, none in a pipe or with
    --quiet."""
    year = [str(p) for p in sorted((EXAMPLES / "nam-2026").glob("quy-*.xlsx"))]
    for args, code in ((["validate", str(EXAMPLES / "nop-ve")], 1),
                       (["awards", *year, "--no-output", "--ledger", str(tmp_path / "x.db"),
                         "--decision-date", "2026-12-20"], 0)):
        seen_code, seen = _stderr_through_a_terminal(args, tmp_path)
        assert seen_code == code and "Đang " in seen, (args[0], seen)
        quiet_code, quiet = _stderr_through_a_terminal([*args, "--quiet"], tmp_path)
        assert quiet_code == code and "Đang " not in quiet, (args[0], quiet)
        piped = subprocess.run([*THIDUA, *args], capture_output=True, env=_env(), cwd=tmp_path,
                               check=False)
        assert piped.returncode == code and "Đang " not in piped.stderr.decode("utf-8")


def test_summary_tables_stay_readable_at_80_columns(run_cli: Any, tmp_path: Path) -> None:
    """issue 13: at 80 columns (a pipe's width) department names wrapped one word per line and
    awards' amounts were cut ("390.…"). Narrow: short headers, a legend; wide: as before."""
    narrow = run_cli("score", EXAMPLES / "quy-4-2026.xlsx", "--no-output", env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # the longest names fit on one line or two, never one word a line
    assert any("Khoa Y học cổ truyền" in line for line in lines)
    assert any("Khoa Tai Mũi Họng" in line for line in lines)
    assert any(line.startswith("XS: HTXSNV · Tốt: HTTNV") for line in lines)
    wide = run_cli("score", EXAMPLES / "quy-4-2026.xlsx", "--no-output", env={"COLUMNS": "120"})
    assert "┃ Số người ┃" in wide.stdout and "XS: HTXSNV" not in wide.stdout

    year = sorted((EXAMPLES / "nam-2026").glob("quy-*.xlsx"))
    awards = run_cli("awards", *year, "--no-output", "--ledger", tmp_path / "x.db",
                     "--decision-date", "2026-12-20", env={"COLUMNS": "80"})
    assert awards.exit_code == 0, awards.stderr
    table = awards.stdout.split("Danh hiệu thi đua, hình thức khen thưởng", 1)[1]
    table = table.split("Tổng tiền thưởng", 1)[0]
    assert "…" not in table, table  # no amount cut short
    assert "54.520.000" in table  # the TTLĐTT amount the README shows at 100 columns, whole


def test_awards_and_ledger_tables_stay_readable_at_80_columns(run_cli: Any,
                                                              tmp_path: Path) -> None:
    """issue 13: at 80 columns (a pipe's width) "Bằng khen tập thể" took four lines of the awards
    table, --compare wrapped every title over three lines and ledger show every title over
    two. Narrow: titles whole on one line, short headers, a legend underneath; wide (the
    README's 100 columns) unchanged."""
    year = sorted((EXAMPLES / "nam-2026").glob("quy-*.xlsx"))
    ledger = tmp_path / "thidua.db"
    ledger.write_bytes((EXAMPLES / "thidua.db").read_bytes())
    run = ["awards", *year, "--ledger", ledger, "--votes", EXAMPLES / "phieu-bau-2026.xlsx",
           "--decision-date", "2026-12-20", "--no-output"]
    narrow = run_cli(*run, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # the row the README shows at 100 columns, on one line: 30 collectives considered, 2
    # eligible, 2 passed, nothing proposed/refused/pending/paid, 0 đồng
    row = next(line for line in lines if line.startswith("Bằng khen tập thể "))
    assert row.split() == ["Bằng", "khen", "tập", "thể", "Trên", "30", "2", "2", "0", "0", "0",
                           "0", "0"], row
    assert not any(line.strip() in ("thể", "tập", "khen", "trên") for line in lines), lines
    assert any(line.split() == ["Danh", "hiệu", "Cấp", "Xét", "Đủ", "Đạt", "ĐN", "KĐ", "Chờ",
                                "Chi", "Thành", "tiền"] for line in lines), lines
    legend = narrow.stdout.split("Trên: cấp trên · Xét: số được xét", 1)
    assert len(legend) == 2 and "Chờ: chờ Hội đồng xét · Chi: số được chi" in legend[1]
    wide = run_cli(*run, env={"COLUMNS": "100"})
    assert "│ Bằng khen tập │ Cấp trên │  30 │     2 │   2 │" in wide.stdout
    assert "┃ Danh hiệu     ┃ Cấp      ┃ Xét ┃ Đủ ĐK ┃" in wide.stdout
    assert "Trên: cấp trên" not in wide.stdout

    compare = ["awards", *year, "--ledger", ledger, "--set", "cap.rate=0.25", "--compare"]
    narrow = run_cli(*compare, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # a rating tied at the raised cap is the council's: said in words, never PENDING_COUNCIL
    assert "PENDING_COUNCIL" not in narrow.stdout
    row = next(line for line in lines if line.startswith("BV0051 "))
    assert row.split() == ["BV0051", "Nguyễn", "Thị", "Hồng", "Khoa", "Cấp", "cứu", "CSTĐCS",
                           "—", "Chờ", "HĐ"], row
    assert "Mã: mã NV hoặc tập thể · Chờ HĐ: chờ Hội đồng xét" in narrow.stdout
    wide = run_cli(*compare, env={"COLUMNS": "160"})
    assert "┃ Mã NV / tập thể ┃" in wide.stdout and "Chiến sĩ thi đua cơ sở" in wide.stdout
    assert "PENDING_COUNCIL" not in wide.stdout and "Mã: mã NV" not in wide.stdout

    # the shipped ledger: BV0002 was CSTĐCS and LĐTT in 2024 (15/QĐ-BV) and 2025 (14/QĐ-BV)
    show = run_cli("ledger", "show", "BV0002", "--ledger", ledger, env={"COLUMNS": "80"})
    assert show.exit_code == 0, show.stderr
    assert max(len(line) for line in show.stdout.splitlines()) <= 80
    row = next(line for line in show.stdout.splitlines() if line.startswith("2024 "))
    assert row.split() == ["2024", "HTXSNV", "CSTĐCS;", "LĐTT", "15/QĐ-BV", "ngày",
                           "20/12/2024", "0", "(0)"], show.stdout
    assert "SK (dùng): số sáng kiến trong năm" in show.stdout
    wide = run_cli("ledger", "show", "BV0002", "--ledger", ledger, env={"COLUMNS": "160"})
    assert "Chiến sĩ thi đua cơ sở; Lao động tiên tiến" in wide.stdout
    assert "┃ Sáng kiến (đã dùng) ┃" in wide.stdout


def test_ties_table_is_borderless_with_whole_cells_at_80_columns() -> None:
    from rich.console import Console

    from thidua_cli.core.awards_result import TieEntry
    from thidua_cli.present.awards import print_ties

    tie = TieEntry(kind="rating", title="HTXSNV", scope="Lãnh đạo, quản lý", slots=1,
                   ids=("BV0007", "BV0008", "BV0009"),
                   names=("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"), total=92.38)
    shown = {}
    for width in (80, 120):
        console = Console(width=width, record=True, color_system=None)
        print_ties(console, [tie])
        shown[width] = console.export_text()
    narrow = shown[80].splitlines()
    assert max(len(line) for line in narrow) <= 80
    assert narrow[1].split() == ["Loại", "Danh", "hiệu", "Nhóm/khoa", "Suất", "Người", "bằng",
                                 "nhau", "Điểm"], narrow
    assert narrow[3].startswith("Trần HTXSNV ") and "92,38" in narrow[3], narrow
    assert "│" not in shown[80]
    assert "┃ Loại        ┃ Danh hiệu ┃ Nhóm / khoa" in shown[120], shown[120]


def test_a_second_awards_run_over_the_folder_glob_replaces_its_own_output(
        run_cli: Any, tmp_path: Path) -> None:
    """issue 13: `thidua awards examples/nam-2026/*.xlsx … --force` run a second time: the glob
    also matches the first run's nam-2026.de-xuat.xlsx, which is skipped with a note (not
    read) and so is not an input: --force replaces it instead of refusing it as an input."""
    folder = tmp_path / "nam-2026"
    folder.mkdir()
    for quarter in sorted((EXAMPLES / "nam-2026").glob("quy-*.xlsx")):
        (folder / quarter.name).write_bytes(quarter.read_bytes())
    ledger = tmp_path / "thidua.db"
    ledger.write_bytes((EXAMPLES / "thidua.db").read_bytes())
    run = ["--ledger", ledger, "--decision-date", "2026-12-20"]
    first = run_cli("awards", *sorted(folder.glob("*.xlsx")), *run)
    assert first.exit_code == 0, first.stderr
    written = folder / "nam-2026.de-xuat.xlsx"
    assert written.exists()
    again = sorted(folder.glob("*.xlsx"))
    assert written in again
    refused = run_cli("awards", *again, *run)
    assert refused.exit_code == 6, refused.stderr  # exists: --force needed, as always
    assert "hoặc dùng --force để ghi đè (-f)" in refused.stderr
    assert "chính là tệp đầu vào" not in refused.stderr
    forced = run_cli("awards", *again, *run, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert f"Bỏ qua {written}: đây là tệp kết quả của thidua" in forced.stderr
