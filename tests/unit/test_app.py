"""The application layer called as a library: typed inputs in, typed outcomes out, no printing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from thidua_cli.app import init as app_init
from thidua_cli.app import templates as app_templates
from thidua_cli.app.score import ScoreOptions, default_output, score
from thidua_cli.errors import OutputExistsError, UsageError
from thidua_cli.model import Period, PeriodKind, Regulation

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quy-4-2026.xlsx"
STARTED = datetime(2027, 1, 5, 8, 30, tzinfo=UTC)


def test_score_without_output_writes_nothing_and_returns_the_run(
    regulation: Regulation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ScoreOptions(write=False, command="thidua score x.xlsx", started_at=STARTED)
    outcome = score([EXAMPLE], regulation, options=options)
    assert outcome.target is None and outcome.explained is None
    assert outcome.result.people and outcome.dataset.period is not None
    assert outcome.run.command == "thidua score x.xlsx" and outcome.run.started_at == STARTED
    assert outcome.run.regulation_sha256 == regulation.sha256
    assert capsys.readouterr() == ("", "")  # the library prints nothing


def test_score_writes_the_workbook_where_asked(regulation: Regulation, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    messages: list[str] = []
    outcome = score([EXAMPLE], regulation, period=Period(PeriodKind.QUARTER, 2026, 4),
                    options=ScoreOptions(output=target), progress=messages.append)
    assert outcome.target == target and target.is_file()
    assert messages[-1] == f"Đang ghi {target}"
    with pytest.raises(OutputExistsError):
        score([EXAMPLE], regulation, options=ScoreOptions(output=target))
    assert default_output(EXAMPLE).name == "quy-4-2026.ket-qua.xlsx"


def test_score_explains_one_person_and_writes_nothing(regulation: Regulation) -> None:
    first = score([EXAMPLE], regulation, options=ScoreOptions(write=False)).result.people[0]
    staff_id = first.person.staff_id
    outcome = score([EXAMPLE], regulation, options=ScoreOptions(explain=f" {staff_id} "))
    assert outcome.target is None
    assert outcome.explained is not None and outcome.explained.person.staff_id == staff_id
    assert outcome.explained.steps  # built for that one person
    with pytest.raises(UsageError, match="Không có mã nhân viên"):
        score([EXAMPLE], regulation, options=ScoreOptions(explain="KHONG-CO"))


def test_templates_listing_names_a_default_for_every_kind() -> None:
    from thidua_cli.core.documents import KINDS
    from thidua_cli.core.documents.cluster import CLUSTER_KINDS
    from thidua_cli.core.documents.income_kind import KIND as INCOME_KIND
    from thidua_cli.core.documents.models_kind import KIND as MODELS_KIND

    listing = app_templates.listing()
    assert listing.user_dir is None
    assert [e.kind for e in listing.entries] == [*KINDS, INCOME_KIND, *CLUSTER_KINDS, MODELS_KIND]
    assert not any(e.user for e in listing.entries)


def test_templates_check_of_an_exported_default_finds_no_error(tmp_path: Path) -> None:
    written = app_templates.export(tmp_path / "mau")
    decision = next(p for p in written if p.stem == app_templates.DEFAULT_KIND)
    outcome = app_templates.check(decision)
    assert outcome.kind == app_templates.DEFAULT_KIND and outcome.errors == 0


def test_init_writes_the_regulation_once(tmp_path: Path) -> None:
    target = app_init.write_default_regulation(tmp_path / "quy-che-2026")
    assert target == tmp_path / "quy-che-2026" / "quy-che.toml" and target.is_file()
    with pytest.raises(OutputExistsError):
        app_init.write_default_regulation(tmp_path / "quy-che-2026")
    with pytest.raises(UsageError, match="là một tệp"):
        app_init.write_default_regulation(target)
