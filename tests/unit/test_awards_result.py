"""The typed awards result: from_json checks the thidua.awards/1 contract and names the file
and the key at fault; to_json gives back the same object."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from thidua_cli.core.awards_result import SCHEMA, AwardsOutcome, from_json
from thidua_cli.core.documents import sample_result
from thidua_cli.errors import ExitCode, InputFileError

SAMPLE = Path(__file__).parents[1] / "data" / "awards-sample.json"


@pytest.fixture
def data() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_a_full_result_round_trips() -> None:
    full = from_json(sample_result()).to_json()  # every key the writer writes
    assert next(iter(full)) == "schema" and full["schema"] == SCHEMA
    assert from_json(full).to_json() == full
    assert json.dumps(from_json(full).to_json()) == json.dumps(full)


def test_an_older_result_without_the_newer_keys_loads(data: dict[str, Any]) -> None:
    outcome = from_json(data, "nam-2026.de-xuat.json")
    assert isinstance(outcome, AwardsOutcome)
    assert outcome.year == 2026 and len(outcome.awards) == len(data["awards"])
    assert outcome.council.votes_given == data["council"].get("votes_given")
    assert outcome.ratings == () and outcome.decision_date_assumed is False


def test_a_wrong_schema_is_refused_naming_the_file(data: dict[str, Any]) -> None:
    data["schema"] = "thidua.score/1"
    with pytest.raises(InputFileError) as exc:
        from_json(data, "nam-2026.de-xuat.json")
    assert exc.value.exit_code == ExitCode.INPUT
    assert str(exc.value).startswith("nam-2026.de-xuat.json không phải kết quả xét danh hiệu")
    assert "schema là 'thidua.score/1', cần \"thidua.awards/2\" hoặc \"thidua.awards/1\"" in str(exc.value)
    with pytest.raises(InputFileError, match="cần một đối tượng JSON"):
        from_json([data], "x.json")


def test_a_missing_key_is_named(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    del broken["year"], broken["awards"][0]["title"]
    with pytest.raises(InputFileError) as exc:
        from_json(broken, "nam-2026.de-xuat.json")
    message = str(exc.value)
    assert message.startswith("nam-2026.de-xuat.json không phải kết quả xét danh hiệu hợp lệ")
    assert "- year: thiếu." in message
    assert "- awards[0].title: thiếu." in message


def test_a_value_of_the_wrong_type_is_named(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["awards"][1]["paid"] = "có"
    broken["awards"][1]["initiatives_used"] = [{"year": "2025", "count": 1}]
    broken["money"]["total"] = "2.340.000"
    broken["leader_share"]["share_leaders"] = "10%"
    broken["ratings"] = {"BV1": "HTTNV"}
    with pytest.raises(InputFileError) as exc:
        from_json(broken, "nam-2026.de-xuat.json")
    message = str(exc.value)
    assert "- awards[1].paid: phải là true hoặc false." in message
    assert "- awards[1].initiatives_used[0].year: phải là số nguyên, không phải '2025'." in message
    assert "- money.total: phải là số nguyên, không phải '2.340.000'." in message
    assert "- leader_share.share_leaders: phải là số, không phải '10%'." in message
    assert "- ratings: thiếu hoặc không phải danh sách." in message


def test_the_ballot_counts_round_trip_and_are_checked(data: dict[str, Any]) -> None:
    """council.ballots (issue 12): absent in an older result (None), kept when written, and
    refused (exit 4, naming the key) when out of order or not whole numbers."""
    assert from_json(data).council.ballots is None
    data["council"]["ballots"] = {"issued": 9, "returned": 9, "valid": 8}
    outcome = from_json(data)
    assert outcome.council.ballots == (9, 9, 8)
    assert outcome.to_json()["council"]["ballots"] == {"issued": 9, "returned": 9, "valid": 8}
    data["council"]["ballots"] = {"issued": 9, "returned": 10, "valid": 8}
    with pytest.raises(InputFileError) as exc:
        from_json(data, "x.json")
    assert exc.value.exit_code == ExitCode.INPUT
    assert "- council.ballots: cần 0 ≤ hợp lệ ≤ thu vào ≤ phát ra (8 ≤ 10 ≤ 9)." in str(exc.value)
    data["council"]["ballots"] = {"issued": 9, "returned": "9", "valid": 8}
    with pytest.raises(InputFileError, match=r"council\.ballots\.returned: phải là số nguyên"):
        from_json(data, "x.json")
