"""io.atomic.write_atomic: all or nothing, never overwrites without force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thidua_cli.errors import ExitCode, OutputExistsError
from thidua_cli.io.atomic import OutputWriteError, write_atomic


def test_writes_bytes_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    write_atomic(target, b"abc", force=False)
    assert target.read_bytes() == b"abc"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.xlsx"]


def test_existing_file_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "quy-che.toml"
    target.write_bytes(b"old")
    with pytest.raises(OutputExistsError) as info:
        write_atomic(target, b"new", force=False)
    assert info.value.exit_code == ExitCode.OUTPUT_EXISTS == 6
    assert str(target) in info.value.message
    assert "dùng --force để ghi đè" in info.value.message
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quy-che.toml"]


def test_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_callable_writes_at_a_temporary_path_in_the_same_folder(tmp_path: Path) -> None:
    target = tmp_path / "bien-ban.docx"
    seen: list[Path] = []

    def writer(tmp: Path) -> None:
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_text("nội dung", encoding="utf-8")

    write_atomic(target, writer, force=False)
    assert target.read_text(encoding="utf-8") == "nội dung"
    assert len(seen) == 1 and not seen[0].exists()


def test_failure_mid_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half a workbook")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_atomic(target, writer, force=False)
    assert list(tmp_path.iterdir()) == []


def test_failure_mid_write_keeps_the_old_file_even_with_force(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous result")

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, writer, force=True)
    assert target.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "khong-co" / "out.xlsx"
    with pytest.raises(OutputWriteError) as info:
        write_atomic(target, b"x", force=False)
    assert "thư mục" in info.value.message and str(target.parent) in info.value.message
    assert not target.parent.exists()


def test_a_folder_is_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    with pytest.raises(OutputWriteError, match="là một thư mục"):
        write_atomic(folder, b"x", force=True)
    assert folder.is_dir()


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    # mkstemp makes 0600 files; outputs are shared documents and get the umask's permissions.
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", b"x", force=False)
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_make_output_folder_creates_parents_and_refuses_a_file(tmp_path: Path) -> None:
    from thidua_cli.io.atomic import make_output_folder

    deep = tmp_path / "a" / "b"
    make_output_folder(deep)
    make_output_folder(deep)  # already there: nothing to do
    assert deep.is_dir()
    blocker = tmp_path / "van-ban"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputWriteError) as info:
        make_output_folder(blocker)
    assert info.value.exit_code == 2
    assert f"Không tạo được thư mục đầu ra {blocker}: đã có một tệp cùng tên" in info.value.message
    assert blocker.read_text(encoding="utf-8") == "x"


def test_file_created_by_another_process_mid_write_is_refused_in_the_common_words(
        tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"theirs")  # another process wins the race

    with pytest.raises(OutputExistsError) as info:
        write_atomic(target, writer, force=False)
    message = info.value.message
    assert message == (f"Tệp {target} đã có (vừa được tạo trong lúc thidua đang ghi); chưa ghi "
                       "đè. Hãy chọn tên khác (-o) hoặc thư mục khác, hoặc dùng --force để ghi "
                       "đè (-f).")
    assert "đổi tên tệp đầu ra" not in message
    assert target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.xlsx"]
