"""io/prefetch.py: the fastexcel parse started by ``thidua validate`` before its imports is used
only for the very bytes ``load_large`` reads; nothing else is ever started or reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_columnar import mixed_rows, write_xlsxwriter

from thidua_cli.io import columnar, prefetch


@pytest.fixture(autouse=True)
def _nothing_pending() -> Any:
    prefetch._pending.clear()
    yield
    for _, worker, _ in prefetch._pending.values():
        worker.join()
    prefetch._pending.clear()


def test_head_rows_are_the_loaders() -> None:
    assert columnar.HEAD_ROWS == prefetch.HEAD_ROWS == 40


def test_started_parse_is_taken_for_the_same_bytes(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsxwriter(tmp_path / "tong-hop.xlsx", mixed_rows(120))
    monkeypatch.setattr(prefetch, "MIN_FILE_BYTES", 0)
    prefetch.start(path)
    taken = prefetch.take(path, path.read_bytes())
    assert taken is not None
    worker, out = taken
    worker.join()
    assert "error" not in out
    assert out["batch"].num_rows == len(mixed_rows(120)) - prefetch.HEAD_ROWS
    assert prefetch.take(path, path.read_bytes()) is None  # taken once


def test_other_bytes_are_not_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsxwriter(tmp_path / "tong-hop.xlsx", mixed_rows(120))
    monkeypatch.setattr(prefetch, "MIN_FILE_BYTES", 0)
    prefetch.start(path)
    changed = write_xlsxwriter(tmp_path / "khac.xlsx", mixed_rows(130)).read_bytes()
    assert prefetch.take(path, changed) is None  # the file changed between the two reads
    assert not prefetch._pending


@pytest.mark.parametrize("make", [
    lambda d: write_xlsxwriter(d / "nho.xlsx", mixed_rows(60)),  # below MIN_FILE_BYTES
    lambda d: (d / "bang.csv").write_bytes(b"a,b\n" * 200_000) and d / "bang.csv",
    lambda d: (d / "gia.xlsx").write_bytes(b"<html>" + b" " * 600_000) and d / "gia.xlsx",
    lambda d: d / "khong-co.xlsx",
])
def test_nothing_started(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    prefetch.start(make(tmp_path))
    assert not prefetch._pending


def test_load_large_uses_the_started_parse(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsxwriter(tmp_path / "tong-hop.xlsx", mixed_rows(150))
    monkeypatch.setattr(prefetch, "MIN_FILE_BYTES", 0)
    began: list[bytes] = []
    real_begin = prefetch.begin
    monkeypatch.setattr(prefetch, "begin", lambda data: began.append(data) or real_begin(data))
    prefetch.start(path)
    assert len(began) == 1
    large = columnar.load_large(path, min_sheet_bytes=0)
    assert large is not None and large.nrows == len(mixed_rows(150))
    assert len(began) == 1  # no second parse
    without = columnar.load_large(path, min_sheet_bytes=0)  # nothing started: its own parse
    assert without is not None and len(began) == 2
    assert [without.values(i, 41) for i in range(without.width)] == \
        [large.values(i, 41) for i in range(large.width)]
