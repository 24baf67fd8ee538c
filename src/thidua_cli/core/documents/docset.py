"""The documents' context as the renderer reads it: the kinds, and the set of contexts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.errors import InvalidDataError, UsageError
from thidua_cli.model import Issue

# The document kinds ``thidua render`` knows, in the order ``render all`` writes them.
KINDS: tuple[str, ...] = (
    "to-trinh",
    "to-trinh-cap-tren",
    "bien-ban",
    "kiem-phieu",
    "phieu-bau",
    "quyet-dinh",
    "giay-khen",
)
KIND_LABELS: Mapping[str, str] = {
    "to-trinh": "Tờ trình đề nghị công nhận danh hiệu thi đua, khen thưởng",
    "to-trinh-cap-tren": "Tờ trình đề nghị cấp trên khen thưởng",
    "bien-ban": "Biên bản họp Hội đồng Thi đua – Khen thưởng",
    "kiem-phieu": "Biên bản kiểm phiếu",
    "phieu-bau": "Phiếu bầu",
    "quyet-dinh": "Quyết định và danh sách kèm theo",
    "giay-khen": "Giấy khen, giấy chứng nhận",
}


@dataclass(frozen=True)
class DocumentSet:
    """The context shared by every document kind, and what the clerk must be told."""

    context: Mapping[str, Any]
    warnings: tuple[Issue, ...]  # catalogued findings (issues.py), printed by render
    has_higher: bool  # whether there is anything to propose upward (to-trinh-cap-tren)
    kind_warnings: Mapping[str, tuple[Issue, ...]] = field(default_factory=dict)  # only for that kind

    def warnings_for(self, kinds: Iterable[str]) -> list[Issue]:
        """The warnings worth printing when ``kinds`` are rendered."""
        out = list(self.warnings)
        for kind in kinds:
            # The signer's blank line is one warning however many kinds it signs.
            out.extend(w for w in self.kind_warnings.get(kind, ()) if w not in out)
        return out

    def kinds_to_write(self, kind: str) -> list[str]:
        """The kinds ``thidua render KIND`` writes: ``all`` skips what has nothing to list (no
        higher-level proposal → no Tờ trình lên cấp trên), ``to-trinh`` adds the Tờ trình lên
        cấp trên when there is one. Raises :class:`InvalidDataError` (exit 1) when there is
        nothing to write."""
        ctx = self.context
        has_awards = ctx["count_total"] > 0
        # The minutes need a vote (secret or on a list); the ballots and their tally a proposal
        # on the ballot.
        has_votes = bool(ctx["votes"]) or bool(ctx.get("list_votes"))
        has_ballot = bool(ctx.get("ballot_candidates"))

        def available(k: str) -> bool:
            if k in ("quyet-dinh", "giay-khen", "to-trinh"):
                return has_awards
            if k == "to-trinh-cap-tren":
                return self.has_higher
            if k in ("phieu-bau", "kiem-phieu"):
                return has_ballot
            return has_votes

        if kind == "all":
            chosen = [k for k in KINDS if available(k)]
            if chosen:
                return chosen
            raise InvalidDataError(
                "Không có văn bản nào để in: kết quả xét danh hiệu không có danh hiệu, hình thức "
                "khen thưởng nào được Hội đồng thông qua."
            )
        if kind not in KINDS:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: {', '.join(KINDS)}.")
        if kind == "to-trinh":
            chosen = [k for k in ("to-trinh", "to-trinh-cap-tren") if available(k)]
            if chosen:
                return chosen
        elif available(kind):
            return [kind]
        reasons = {
            "to-trinh-cap-tren": "không có đề nghị khen thưởng cấp trên nào được Hội đồng thông qua",
            "bien-ban": "kết quả không có đề xuất nào",
            "kiem-phieu": "không có đề xuất nào phải bỏ phiếu kín (documents.ballot_titles)",
            "phieu-bau": "không có đề xuất nào phải bỏ phiếu kín (documents.ballot_titles)",
        }
        reason = reasons.get(
            kind, "không có danh hiệu, hình thức khen thưởng nào được Hội đồng thông qua"
        )
        raise InvalidDataError(f"Không in được {kind}: {reason}.")

    def for_kind(self, kind: str) -> dict[str, Any]:
        """The context of one kind: the shared one plus ``doc`` (header, number, date line)."""
        if kind not in KINDS:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: {', '.join(KINDS)}.")
        ctx = dict(self.context)
        ctx["doc"] = self.context["docs"][kind]
        return ctx

