"""The list of departments expected to submit (``thidua validate --expect``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_xlsx
from thidua_cli.errors import UsageError
from thidua_cli.io.department_list import read_department_list

NAMES = ["Khoa Nội", "Khoa Ngoại", "Phòng Tổ chức cán bộ"]


def test_a_column_headed_ten_under_a_title(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"DS": [["DANH SÁCH KHOA, PHÒNG NỘP BẢNG ĐIỂM QUÝ IV"], [],
                                        ["STT", "Tên"], *([i, n] for i, n in enumerate(NAMES, 1))]})
    assert read_department_list(path) == NAMES


def test_without_a_heading_the_column_with_the_most_names_not_the_title(tmp_path: Path) -> None:
    # The title sits in column A, the names in B: the title does not choose the column.
    path = write_xlsx(tmp_path, {"DS": [["DANH SÁCH KHOA, PHÒNG"], [],
                                        *([i, n] for i, n in enumerate(NAMES, 1))]})
    assert read_department_list(path) == NAMES


def test_a_plain_list_and_its_total_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"DS": [[n] for n in [*NAMES, "Khoa Nội ", "Tổng cộng: 3",
                                                      "Khoa Sản"]]})
    assert read_department_list(path) == NAMES  # duplicates dropped, stops at the total


def test_a_text_file_and_an_empty_list(tmp_path: Path) -> None:
    txt = tmp_path / "ds.txt"
    txt.write_text("\ufeffKhoa Nội\n\n Khoa Mắt \n", encoding="utf-8")
    assert read_department_list(txt) == ["Khoa Nội", "Khoa Mắt"]
    txt.write_text("\n\n", encoding="utf-8")
    with pytest.raises(UsageError, match="không có tên nào"):
        read_department_list(txt)
