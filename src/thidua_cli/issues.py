"""The one catalogue of finding codes.

Every finding thidua reports has a stable kebab-case code here, with its default severity, a
Vietnamese title and a Vietnamese message template (``str.format`` with named fields). The
README's table of codes is checked against this catalogue by a test
(``tests/unit/test_catalogue.py``); ``python -m thidua_cli.issues`` prints that table.

Severities follow ``shared/decisions.md``: an error is anything that would make a person's total
wrong or ambiguous (``score`` refuses, ``validate`` exits 1); a warning is reported and the
workbook is still scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from thidua_cli.model import Issue, Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: Severity
    title: str
    template: str  # fields: {value} and the named parameters of each code

    def format(self, **params: Any) -> str:
        return self.template.format_map(_Defaulting(params))


class _Defaulting(dict[str, Any]):
    """Missing template fields show as "?" rather than crashing a report."""

    def __missing__(self, key: str) -> str:
        return "?"


_TYPES: tuple[IssueType, ...] = (
    # --- files and sheets -------------------------------------------------------------------
    IssueType("no-header-found", E, "Không tìm thấy dòng tiêu đề",
              "Không tìm thấy dòng tiêu đề trong 30 dòng đầu của sheet. Các tiêu đề tìm thấy: "
              "{found}. Cần có ít nhất các cột: {expected}. Hãy thêm một dòng tiêu đề có các cột đó."),
    IssueType("no-data", E, "Không có dữ liệu để chấm điểm",
              "Không có sheet nào chứa danh sách nhân viên có thể đọc được. {detail}"),
    IssueType("empty-sheet", W, "Sheet trống",
              "Sheet không có dữ liệu; đã bỏ qua."),
    IssueType("hidden-sheet", W, "Sheet bị ẩn",
              "Sheet đang bị ẩn ({state}); dữ liệu của nó {counted}. Hãy bỏ ẩn (chuột phải vào "
              "tên sheet → Unhide) để kiểm tra."),
    IssueType("chart-only-sheet", W, "Sheet chỉ có biểu đồ",
              "Sheet là biểu đồ, không có bảng dữ liệu; đã bỏ qua."),
    IssueType("department-submitted-twice", E, "Khoa/phòng nộp hai lần",
              "Khoa/phòng \"{department}\" có dữ liệu ở cả {first} và {second}. Hãy giữ lại một bản."),
    IssueType("department-not-submitted", W, "Khoa/phòng chưa nộp",
              "Chưa nhận được bảng điểm của \"{department}\"."),
    IssueType("unknown-department", W, "Khoa/phòng không có trong danh sách",
              "\"{value}\" không có trong danh sách khoa/phòng {list}.{suggestion}"),
    # --- columns ----------------------------------------------------------------------------
    IssueType("missing-column", E, "Thiếu cột bắt buộc",
              "Thiếu cột \"{column_name}\". Hãy thêm cột này vào dòng tiêu đề (dòng {header_row})."),
    IssueType("missing-criterion-column", E, "Thiếu cột tiêu chí",
              "Thiếu cột điểm của tiêu chí {criterion} (tối đa {max_points} điểm). Hãy thêm cột "
              "có tiêu đề là mã hoặc tên tiêu chí."),
    IssueType("unknown-column", W, "Cột không nhận ra",
              "Không nhận ra cột \"{value}\"; cột này bị bỏ qua.{suggestion}"),
    IssueType("duplicate-column", E, "Cột bị trùng",
              "Cột \"{value}\" xuất hiện hai lần (cột {first} và cột {second}). Hãy xoá hoặc đổi "
              "tên một cột."),
    IssueType("criterion-not-in-regulation", W, "Tiêu chí không có trong quy chế",
              "Cột \"{value}\" giống một cột tiêu chí nhưng không có tiêu chí này trong quy chế; "
              "cột bị bỏ qua.{suggestion}"),
    IssueType("criteria-differ-from-regulation", W, "Tiêu chí khác quy chế",
              "Sheet \"Tiêu chí\" khác quy chế: {detail}. Bảng tiêu chí của file được dùng."),
    IssueType("criteria-total-mismatch", W, "Tổng điểm tối đa các tiêu chí không khớp",
              "Dòng tổng của sheet \"Tiêu chí\" ghi {value} điểm nhưng tổng điểm tối đa các "
              "tiêu chí là {expected}."),
    IssueType("invalid-criteria-sheet", E, "Sheet tiêu chí không hợp lệ",
              "Sheet \"Tiêu chí\" không hợp lệ: {detail}."),
    # --- people -----------------------------------------------------------------------------
    IssueType("missing-staff-id", E, "Thiếu mã nhân viên",
              "Dòng có dữ liệu nhưng không có mã nhân viên. Hãy điền mã nhân viên."),
    IssueType("duplicate-staff-id", E, "Mã nhân viên bị trùng",
              "Mã nhân viên \"{value}\" đã có ở {other}. Mỗi người chỉ được có một dòng."),
    IssueType("missing-name", E, "Thiếu họ tên",
              "Dòng của mã nhân viên \"{staff_id}\" không có họ tên. Hãy điền họ và tên."),
    IssueType("same-name-different-id", W, "Trùng họ tên, khác mã",
              "\"{value}\" trùng họ tên với người ở {other} nhưng khác mã nhân viên; hãy kiểm tra "
              "có phải hai người khác nhau."),
    IssueType("missing-department", E, "Thiếu khoa/phòng",
              "Dòng của mã nhân viên \"{staff_id}\" không có khoa/phòng. Hãy điền cột Khoa/Phòng."),
    # --- values -----------------------------------------------------------------------------
    IssueType("not-a-number", E, "Không phải là số",
              "Ô \"{header}\" phải là số nhưng có giá trị \"{value}\". Hãy nhập một số (ví dụ 8,5)."),
    IssueType("negative-score", E, "Điểm âm",
              "Điểm \"{header}\" là {value}, không được âm. Điểm trừ ghi ở cột \"Điểm trừ\"."),
    IssueType("above-maximum", E, "Vượt điểm tối đa",
              "Điểm \"{header}\" là {value}, vượt điểm tối đa {max_points}. Hãy sửa lại."),
    IssueType("ambiguous-decimal", E, "Số thập phân không rõ",
              "\"{value}\" có thể là {reading_a} hoặc {reading_b}. Dùng dấu phẩy cho phần thập "
              "phân (ví dụ 1,5) và không dùng dấu chấm phân cách hàng nghìn."),
    IssueType("number-stored-as-text", W, "Số lưu dạng chữ",
              "\"{value}\" là số nhưng được lưu dạng chữ (Excel bỏ qua khi cộng SUM); đã đọc là "
              "{number}. Hãy đổi ô sang dạng số."),
    IssueType("formula-without-value", E, "Công thức chưa được tính",
              "Ô có công thức ({formula}) nhưng không có giá trị đã tính: file được lưu bởi một "
              "chương trình không tính công thức. Hãy mở file bằng Excel rồi lưu lại."),
    IssueType("error-value", E, "Ô có lỗi công thức",
              "Ô có giá trị lỗi {value}{formula_part}. Hãy sửa công thức hoặc nhập điểm trực tiếp."),
    IssueType("total-mismatch", W, "Tổng điểm không khớp",
              "Tổng trên sheet là {value} nhưng tính lại được {computed}. Kết quả dùng số tính lại."),
    IssueType("rating-mismatch", W, "Xếp loại không khớp",
              "Xếp loại trên sheet là \"{value}\" nhưng theo quy chế là \"{computed}\"."),
    IssueType("hidden-row-with-data", W, "Dòng ẩn có dữ liệu",
              "Dòng {row} bị ẩn nhưng có dữ liệu; theo quy chế dòng này {counted}."),
    IssueType("strike-through-row", W, "Dòng bị gạch ngang",
              "Dòng {row} bị gạch ngang (thường là người đã nghỉ); theo quy chế dòng này {counted}."),
    IssueType("legacy-encoding", W, "Chữ mã cũ (TCVN3/VNI)",
              "Chữ \"{value}\" dùng bảng mã {encoding} (phông {font}); đã chuyển sang Unicode: "
              "\"{converted}\". Hãy dùng phông Unicode (Times New Roman) khi nhập."),
    IssueType("mixed-date-format", W, "Ngày tháng nhập lẫn kiểu Mỹ",
              "Cột \"{header}\" vừa có ngày dạng chữ dd/mm (ví dụ \"{example}\") vừa có ngày "
              "Excel; ngày {value} có thể đã bị Excel kiểu Mỹ đảo ngày và tháng. Hãy kiểm tra."),
    IssueType("invalid-date", E, "Ngày không hợp lệ",
              "\"{value}\" không phải là ngày hợp lệ (dùng dạng ngày/tháng/năm, ví dụ 05/01/2024)."),
    IssueType("leave-days-out-of-range", E, "Số ngày nghỉ không hợp lệ",
              "Số ngày nghỉ {value} nằm ngoài khoảng 0–{maximum} ngày làm việc của kỳ."),
    IssueType("unknown-discipline-level", E, "Hình thức kỷ luật không rõ",
              "\"{value}\" không phải hình thức kỷ luật. Dùng: khiển trách, cảnh cáo, cách chức, "
              "buộc thôi việc (hoặc để trống)."),
    IssueType("self-assessment-fallback", W, "Dùng điểm tự chấm",
              "Ô \"Khoa chấm\" của tiêu chí {criterion} để trống; dùng điểm tự chấm {value}."),
    IssueType("large-text-cell", W, "Ô chữ quá dài",
              "Ô chứa {length} ký tự; chỉ giữ 1.000 ký tự đầu trong báo cáo."),
    IssueType("text-too-long", E, "Ô chữ dài quá giới hạn của Excel",
              "Ô chứa {length} ký tự, quá giới hạn 32.767 ký tự một ô của Excel (Excel cắt bớt "
              "hoặc báo tệp hỏng). Hãy rút ngắn nội dung ô."),
    IssueType("merged-header", I, "Tiêu đề gộp ô",
              "Tiêu đề \"{value}\" gộp nhiều ô; đã đọc theo ô đầu tiên."),
    IssueType("missing-score", E, "Thiếu điểm tiêu chí",
              "Tiêu chí {criterion} chưa có điểm: {cells} để trống. Hãy nhập điểm (nhập 0 nếu "
              "người này không đạt điểm nào ở tiêu chí này)."),
    IssueType("criterion-max-differs", W, "Điểm tối đa ở tiêu đề khác tiêu chí",
              "Tiêu đề \"{header}\" ghi tối đa {sheet_max} điểm nhưng tiêu chí {criterion} tối đa "
              "{max_points} điểm theo {source}; điểm được kiểm tra theo {max_points} điểm."),
    IssueType("unknown-flag-value", E, "Giá trị có/không không rõ",
              "Ô \"{header}\" có giá trị \"{value}\" không rõ nghĩa. Ghi x (hoặc có, 1) nếu đúng; "
              "để trống (hoặc không, 0) nếu không."),
    IssueType("unknown-gender", W, "Giới tính không rõ",
              "Giới tính \"{value}\" không rõ; hãy ghi Nam hoặc Nữ. Người này được coi là chưa rõ "
              "giới tính (không được ưu tiên khi bằng điểm)."),
    IssueType("negative-number", E, "Số âm",
              "Ô \"{header}\" là {value}, không được âm."),
    IssueType("percent-out-of-range", E, "Tỷ lệ phần trăm không hợp lệ",
              "Ô \"{header}\" là {value}, ngoài khoảng 0–100%. Ghi tỷ lệ dạng 100%, 30% (hoặc "
              "số 0–100)."),
    IssueType("period-mismatch", W, "Kỳ ghi trên bảng khác kỳ đánh giá",
              "{where} ghi {found} nhưng kỳ đánh giá là {expected} (theo {source}). Hãy kiểm tra "
              "đây có đúng là bảng điểm của kỳ này không."),
    # --- across files -----------------------------------------------------------------------
    IssueType("cross-file-duplicate-staff-id", E, "Mã nhân viên trùng giữa các file",
              "Mã nhân viên \"{value}\" có ở cả {other}."),
    # --- thidua validate ----------------------------------------------------------------------
    IssueType("unreadable-file", E, "Không đọc được tệp",
              "{detail}"),
    IssueType("legacy-encoding-many", W, "Nhiều ô chữ mã cũ (TCVN3/VNI)",
              "Cột \"{header}\" còn {count} ô chữ bảng mã {encoding} khác đã được chuyển sang "
              "Unicode (ví dụ \"{value}\" → \"{converted}\"). Hãy chuyển cả bảng sang phông "
              "Unicode (Unikey: công cụ chuyển mã, từ {encoding} sang Unicode)."),
    IssueType("rating-not-checked", I, "Chưa so xếp loại",
              "Không xác định được kỳ đánh giá (tên tệp và dòng tiêu đề không ghi quý/năm) nên "
              "chưa so cột Xếp loại của sheet với quy chế; tổng điểm vẫn được so. Thêm --period, "
              "ví dụ --period 2026-Q4, để so cả xếp loại."),
    # --- scoring ----------------------------------------------------------------------------
    IssueType("cap-tie", W, "Bằng điểm ở ngưỡng trần HTXSNV",
              "Nhóm \"{group}\": còn {slots} suất HTXSNV cho {count} người cùng {total} điểm "
              "({ids}); cần Hội đồng xem xét."),
    IssueType("manager-inferred", I, "Suy ra lãnh đạo từ chức vụ",
              "\"{name}\" được xếp vào nhóm lãnh đạo, quản lý theo chức vụ \"{value}\"."),
    # --- the year and its awards (thidua awards) ---------------------------------------------
    IssueType("year-quarters-missing", W, "Thiếu bảng điểm quý",
              "Chưa có bảng điểm {value} của năm {year} (đã có: {given}); điểm năm chỉ tính trên "
              "các quý đã có."),
    IssueType("year-missing-quarters", E, "Thiếu quý không có lý do",
              "\"{name}\" ({staff_id}) không có tên trong bảng điểm {value} (có tên ở: {present}) "
              "và không ghi lý do (cột \"Lý do vắng\": mới tuyển, chuyển đến, chuyển đi, nghỉ thai "
              "sản, nghỉ không lương; hoặc ngày tuyển dụng, ngày chuyển đi): chưa xếp loại năm, "
              "chưa xét danh hiệu cho người này. Hãy ghi lý do hoặc bổ sung tên vào bảng điểm quý "
              "đó."),
    IssueType("year-missing-quarter-reason", I, "Vắng quý có lý do",
              "\"{name}\" ({staff_id}) không có tên trong bảng điểm {value} ({reason}); điểm năm "
              "là bình quân các quý có mặt ({present})."),
    IssueType("year-left", I, "Đã chuyển đi, nghỉ việc",
              "\"{name}\" ({staff_id}) {value}. Không xếp loại năm tại đơn vị này, không tính vào "
              "trần HTXSNV, không ghi sổ lịch sử."),
    IssueType("year-no-rated-quarter", W, "Không được xếp loại quý nào",
              "\"{name}\" ({staff_id}) không được xếp loại ở quý nào có tên ({value}): không xếp "
              "loại năm."),
    IssueType("htxsnv-tasks-not-checked", I, "HTXSNV chỉ xét theo điểm",
              "Bảng điểm không có cột \"% nhiệm vụ hoàn thành\" / \"% vượt\": {value} người đạt "
              "HTXSNV theo điểm được xếp loại theo điểm; Quy định 366-QĐ/TW Điều 11 còn yêu cầu "
              "100% nhiệm vụ hoàn thành, ít nhất 30% vượt mức (Hội đồng xác nhận khi bình xét)."),
    IssueType("year-maternity-quarter", I, "Nghỉ thai sản cả quý",
              "\"{name}\" ({staff_id}) nghỉ thai sản cả {value}: điểm quý đó không tính vào bình "
              "quân năm (kết quả năm theo thời gian thực tế làm việc, NĐ 90/2020 sửa đổi bởi NĐ "
              "48/2023); thời gian nghỉ thai sản vẫn tính là thời gian công tác."),
    IssueType("year-department-changed", I, "Đổi khoa/phòng trong năm",
              "\"{name}\" ({staff_id}) đổi khoa/phòng trong năm ({value}); tính vào {department} "
              "(quý gần nhất)."),
    IssueType("year-recruited-differs", W, "Ngày tuyển dụng khác nhau giữa các quý",
              "Ngày tuyển dụng của \"{name}\" ({staff_id}) khác nhau giữa các quý ({value}); dùng "
              "ngày {used} của quý gần nhất. Hãy sửa cho thống nhất."),
    IssueType("decision-date-assumed", W, "Chưa có ngày quyết định",
              "Chưa có --decision-date: dùng ngày {value} để chọn bộ quy tắc ({ruleset}) và mức "
              "lương cơ sở. Hãy ghi ngày ký quyết định thật khi có."),
    IssueType("rating-tie-women-first", I, "Ưu tiên nữ khi bằng điểm",
              "Nhóm \"{group}\": {count} người bằng {total} điểm ở ngưỡng trần HTXSNV, còn {slots} "
              "suất; theo {basis} ưu tiên nữ: {value} được xếp HTXSNV."),
    IssueType("rating-tie-council", I, "Hội đồng quyết định người bằng điểm",
              "Nhóm \"{group}\": theo phiếu bầu của Hội đồng, {value} được xếp HTXSNV trong {slots} "
              "suất còn lại."),
    IssueType("award-tie-women-first", I, "Ưu tiên nữ ở ranh giới suất khen thưởng",
              "{title}{scope}: người bằng điểm ở ranh giới {slots} suất; theo {basis} ưu tiên nữ: "
              "{value} được chọn."),
    IssueType("quota-seat-freed", W, "Suất để trống do Hội đồng không đồng ý",
              "{title}{scope}: Hội đồng không đồng ý {rejected}; còn {slots} suất để trống (số suất "
              "là mức tối đa, mỗi danh hiệu cần phiếu riêng). Người kế tiếp theo thứ tự điểm để "
              "bỏ phiếu bổ sung: {value}."),
    IssueType("leader-share-title-high", W, "Tỷ lệ lãnh đạo của một danh hiệu cao hơn tỷ lệ trong đơn vị",
              "{title}: {leaders}/{total} người là lãnh đạo, quản lý ({value}), cao hơn tỷ lệ lãnh "
              "đạo, quản lý trong tổng số người ({headcount}); pháp luật ưu tiên người lao động trực "
              "tiếp (Luật Thi đua, khen thưởng Điều 5)."),
    IssueType("leader-share-title-cap", W, "Vượt tỷ lệ lãnh đạo tối đa của một danh hiệu",
              "{title}: {leaders}/{total} người được đề nghị là lãnh đạo, quản lý, vượt tỷ lệ tối "
              "đa {value} của quy chế (awards.leader_share_cap): giữ {allowed} người; {waiting} "
              "chuyển sang chờ Hội đồng xét."),
    IssueType("award-tie", W, "Bằng nhau ở ranh giới suất khen thưởng",
              "{title}{scope}: còn {slots} suất cho {count} người bằng {total} điểm ({value}); "
              "cần Hội đồng xem xét, thidua không tự chọn."),
    IssueType("quota-tie", W, "Phần dư bằng nhau khi chia suất",
              "{title}: còn {slots} suất chưa chia được cho {count} khoa/phòng có phần dư bằng "
              "nhau ({value}); cần Hội đồng quyết định."),
    IssueType("vote-missing", W, "Không có trong phiếu bầu",
              "{title}: \"{name}\" ({value}) đủ điều kiện nhưng không có trong phiếu bầu; chưa được "
              "công nhận (chờ Hội đồng)."),
    IssueType("vote-not-candidate", W, "Phiếu bầu cho người không đủ điều kiện",
              "Phiếu bầu {title} cho \"{name}\" ({value}) nhưng {reason}; dòng này không được "
              "dùng."),
    IssueType("vote-unknown-title", E, "Danh hiệu trong phiếu bầu không rõ",
              "Danh hiệu \"{value}\" trong phiếu bầu không nhận ra.{suggestion} Dùng tên danh "
              "hiệu (ví dụ \"Chiến sĩ thi đua cơ sở\") hoặc mã (CSTDCS)."),
    IssueType("vote-invalid-count", E, "Số phiếu không hợp lệ",
              "Số phiếu đồng ý \"{value}\" không hợp lệ: phải là số nguyên từ 0 đến {members} "
              "(số thành viên Hội đồng)."),
    IssueType("vote-duplicate", E, "Trùng dòng phiếu bầu",
              "Có hai dòng phiếu bầu {title} cho \"{value}\" (dòng {first} và dòng {second}); hãy "
              "giữ một dòng."),
    IssueType("vote-missing-recipient", E, "Dòng phiếu bầu thiếu người nhận",
              "Dòng phiếu bầu không có mã nhân viên (cá nhân) hoặc tên khoa/phòng (tập thể)."),
    IssueType("vote-ballots-invalid", E, "Số phiếu phát ra, thu vào, hợp lệ không hợp lệ",
              "{detail} Ghi ba dòng phía trên bảng: \"Số phiếu phát ra: 9\", \"Số phiếu thu vào: "
              "9\", \"Số phiếu hợp lệ: 8\" (hợp lệ ≤ thu vào ≤ phát ra ≤ số thành viên Hội đồng)."),
    IssueType("leader-share-high", W, "Tỷ lệ khen thưởng lãnh đạo cao",
              "Lãnh đạo, quản lý chiếm {value} số cá nhân được đề nghị khen thưởng ({leaders}/"
              "{total}), vượt ngưỡng {limit} của quy chế; pháp luật ưu tiên người lao động trực "
              "tiếp (Luật TĐKT 2022 Điều 5; CV 2902/BNV-VP)."),
    IssueType("history-missing", I, "Sổ lịch sử chưa có năm trước",
              "Sổ lịch sử không có dữ liệu năm {value}: các khen thưởng cần thành tích nhiều năm "
              "(Bằng khen, CSTĐ cấp tỉnh, Bằng khen Thủ tướng) chỉ xét được khi có lịch sử. Hãy "
              "nhập quyết định các năm trước bằng `thidua ledger import`."),
    # --- the documents (thidua render) -------------------------------------------------------
    IssueType("documents-date-differs", W, "Ngày ký khác ngày quyết định",
              "Ngày ký văn bản ({value}) khác ngày quyết định đã dùng để tính tiền thưởng "
              "({decision_date}). Tiền thưởng tính theo mức lương cơ sở tại ngày ký quyết định (NĐ "
              "152/2025/NĐ-CP Điều 49); nếu mức lương cơ sở khác nhau giữa hai ngày, hãy chạy lại "
              "thidua awards --decision-date {iso_date}."),
    IssueType("documents-no-votes", W, "Chưa có kết quả bỏ phiếu",
              "Chưa có kết quả bỏ phiếu của Hội đồng (thidua awards chạy không có --votes): các văn "
              "bản liệt kê những người được đề xuất. Hãy chạy lại thidua awards với --votes sau khi "
              "Hội đồng họp, trước khi trình ký quyết định."),
    IssueType("documents-pending", W, "Đề xuất chờ Hội đồng xét",
              "{count} đề xuất đang chờ Hội đồng xét (bằng phiếu ở ngưỡng) nên không có trong quyết "
              "định: {names}."),
    IssueType("documents-total-mismatch", W, "Tổng tiền khác kết quả xét",
              "Tổng tiền của danh sách ({value} đồng) khác tổng tiền trong kết quả xét danh hiệu "
              "({expected} đồng); hãy kiểm tra lại trước khi trình ký."),
    IssueType("documents-council-size-differs", W, "Số thành viên Hội đồng khác nhau",
              "Quy chế liệt kê {listed} thành viên Hội đồng nhưng kết quả xét danh hiệu tính tỷ lệ "
              "phiếu trên {members} thành viên; hãy kiểm tra."),
    IssueType("documents-signature-blank", W, "Chưa có họ tên người ký",
              "Chưa khai báo họ tên {role} ({setting}): {documents} để dòng \"{value}\" để ghi tay "
              "họ tên khi ký."),
    IssueType("documents-basis-blank", W, "Dòng Căn cứ để trống",
              "Chưa khai báo {what} ({setting}): dòng \"Căn cứ\" của quyết định, tờ trình in dấu "
              "\"…\" để văn thư điền tay."),
    IssueType("documents-council-size-unknown", W, "Chưa biết số thành viên Hội đồng",
              "Chưa biết số thành viên Hội đồng (kết quả xét danh hiệu không có, quy chế chưa khai "
              "documents.council_members): in 1 phiếu bầu để sao thêm."),
    # --- the emulation cluster (thidua cluster) -----------------------------------------------
    IssueType("cluster-table-invalid", E, "Bảng điểm của khối không dùng được",
              "Bảng điểm của khối: {detail}"),
    IssueType("cluster-member-invalid", E, "Danh sách thành viên khối có lỗi",
              "Danh sách thành viên khối: {detail}"),
    IssueType("cluster-sheet-unknown-member", E, "Không rõ bảng chấm của đơn vị nào",
              "Không xác định được bảng chấm này của đơn vị thành viên nào: {detail}. Hãy ghi "
              "\"Đơn vị: <tên đơn vị như trong danh sách thành viên>\" phía trên bảng."),
    IssueType("cluster-sheet-twice", E, "Một đơn vị nộp hai bảng chấm",
              "\"{value}\" có bảng chấm ở cả {first} và {second}. Hãy giữ lại một bản."),
    IssueType("cluster-sheet-missing", W, "Đơn vị chưa nộp bảng chấm",
              "Chưa có bảng chấm của \"{value}\": đơn vị này không được xếp hạng."),
    IssueType("cluster-item-unknown", E, "Mã tiêu chí không có trong bảng điểm của khối",
              "Mã \"{value}\" không có trong bảng điểm của khối.{suggestion}"),
    IssueType("cluster-item-missing", E, "Thiếu tiêu chí trong bảng chấm",
              "Bảng chấm thiếu dòng của tiêu chí {value} ({name}). Hãy thêm dòng đó (để trống "
              "điểm nếu không đạt thì ghi 0)."),
    IssueType("cluster-item-twice", E, "Tiêu chí có hai dòng",
              "Tiêu chí \"{value}\" có hai dòng (dòng {first} và dòng {second}); hãy giữ một dòng."),
    IssueType("cluster-points-invalid", E, "Điểm không hợp lệ",
              "Điểm \"{value}\" của tiêu chí {item} ({level}) {reason}."),
    IssueType("cluster-check-missing", W, "Chưa có điểm kiểm tra",
              "Tiêu chí {item} chưa có điểm kiểm tra chéo: tính theo điểm tự chấm ({value})."),
    IssueType("cluster-vote-invalid", E, "Kết quả biểu quyết của khối có lỗi",
              "Kết quả biểu quyết: {detail}"),
    IssueType("cluster-proposal-unknown", E, "Đề xuất khen thưởng không rõ của đơn vị nào",
              "Tệp đề xuất {value} là của \"{organisation}\", không có trong danh sách thành viên "
              "khối.{suggestion}"),
    IssueType("cluster-rank-tie", W, "Bằng điểm trong khối",
              "{names} cùng {value} điểm (thứ {rank}); chương trình không tự phân định, khối "
              "quyết định."),
    # --- the history ledger (thidua ledger import) -------------------------------------------
    IssueType("ledger-unknown-title", E, "Danh hiệu không rõ",
              "Danh hiệu \"{value}\" không nhận ra.{suggestion}"),
    IssueType("ledger-unknown-rating", E, "Xếp loại không rõ",
              "Xếp loại \"{value}\" không nhận ra. Dùng HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ "
              "(\"Hoàn thành tốt nhiệm vụ\"), hoặc để trống."),
    IssueType("ledger-rating-conflict", E, "Hai xếp loại cho một năm",
              "Năm {year}, \"{name}\" ({staff_id}) có hai xếp loại khác nhau: {first} (dòng "
              "{first_row}) và {value}; hãy giữ một dòng đúng."),
    IssueType("ledger-missing-decision", E, "Thiếu số hoặc ngày quyết định",
              "Dòng có danh hiệu nhưng thiếu {value}. Hãy điền số quyết định (ví dụ 12/QĐ-BV) và "
              "ngày ký."),
    IssueType("ledger-decision-conflict", E, "Một quyết định, hai ngày ký",
              "Quyết định {value} có hai ngày ký khác nhau ({first} và {second}); hãy sửa cho đúng."),
    IssueType("ledger-missing-recipient", E, "Thiếu người được khen",
              "Dòng không có mã nhân viên (cá nhân) hoặc tên khoa/phòng (tập thể)."),
    IssueType("ledger-invalid-year", E, "Năm không hợp lệ",
              "Năm \"{value}\" không hợp lệ; ghi năm thi đua bằng 4 chữ số (ví dụ 2025)."),
    # --- returned forms (thidua collect) ------------------------------------------------------
    IssueType("form-unrecognised", E, "Không nhận ra khoa/phòng của tệp",
              "Không nhận ra tệp này của khoa/phòng nào: không có sheet ẩn của biểu mẫu, không có "
              "dòng \"Khoa/Phòng: …\", không ai trong tệp có trong danh sách nhân sự (khi "
              "--expect là danh sách nhân sự), tên sheet và tên tệp không là tên khoa/phòng nào "
              "đã biết. Hãy đổi tên tệp theo tên khoa/phòng, hoặc gửi lại biểu mẫu cho khoa/phòng "
              "điền."),
    IssueType("form-staff-mixed", E, "Nhân sự trong tệp thuộc nhiều khoa/phòng",
              "Không nhận ra tệp này của khoa/phòng nào: không có sheet ẩn của biểu mẫu, không có "
              "dòng \"Khoa/Phòng: …\", và {found} người của danh sách nhân sự có trong tệp thuộc "
              "nhiều khoa/phòng, không khoa/phòng nào quá nửa ({split}). Hãy tách tệp theo "
              "khoa/phòng, ghi dòng \"Khoa/Phòng: …\" ở đầu sheet, hoặc đặt tên tệp theo tên "
              "khoa/phòng."),
    IssueType("form-wrong-period", E, "Biểu mẫu của kỳ khác",
              "Tệp là biểu mẫu của \"{department}\" cho {found}, không phải {expected}; không gộp "
              "tệp này. Hãy gửi khoa/phòng biểu mẫu của {expected}."),
    IssueType("form-superseded", I, "Bản nộp cũ hơn",
              "Bản nộp của \"{department}\" lưu lúc {when}; đã dùng bản lưu sau hơn {kept} "
              "({kept_when})."),
    # --- criteria sets per post ([posts]) ---------------------------------------------------------
    IssueType("criterion-not-for-post", W, "Điểm ở tiêu chí không thuộc vị trí",
              "Tiêu chí {criterion} không thuộc {post} của người này; điểm ghi ở ô này không được "
              "tính. Hãy để trống, hoặc sửa Chức vụ/vị trí của người này."),
    # --- violations and bonuses by code (column "Sự việc", [events]) -----------------------------
    IssueType("event-unknown-code", E, "Mã sự việc không có trong danh mục",
              "Cột Sự việc ghi {detail}."),
    IssueType("event-invalid", E, "Sự việc ghi sai dạng",
              "Cột Sự việc: {detail}. Ghi mỗi sự việc là mã và ngày, cách nhau bởi dấu chấm phẩy, "
              "ví dụ \"VP01 12/10/2026; KT01 20/11/2026\"."),
    IssueType("event-outside-period", E, "Sự việc ngoài kỳ đánh giá",
              "Cột Sự việc: {detail}; chỉ ghi sự việc trong kỳ."),
    # --- the register of initiatives (thidua initiatives import) and comments (publish) -----
    IssueType("initiative-duplicate", E, "Sáng kiến trùng",
              "Sáng kiến \"{value}\" (năm {year}) đã có ở {first}; hãy giữ một dòng."),
    IssueType("initiative-in-register", E, "Sáng kiến đã có trong sổ",
              "Sáng kiến \"{value}\" (năm {year}) đã có trong sổ sáng kiến; bỏ dòng này hoặc "
              "sửa tên nếu là sáng kiến khác."),
    IssueType("initiative-missing-title", E, "Thiếu tên sáng kiến",
              "Dòng có dữ liệu nhưng thiếu tên sáng kiến, đề tài."),
    IssueType("initiative-missing-author", E, "Thiếu tác giả",
              "Sáng kiến chưa ghi tác giả. Ghi họ tên (và mã NV trong ngoặc, tỷ lệ %), cách "
              "nhau bằng dấu chấm phẩy: \"Nguyễn Văn An (BV0012) 60%; Trần Thị Bình (BV0034) 40%\"."),
    IssueType("initiative-authors-mismatch", E, "Số mã NV hoặc tỷ lệ khác số tác giả",
              "Ô có {value} giá trị nhưng sáng kiến có {authors} tác giả; ghi theo đúng thứ tự "
              "tác giả, cách nhau bằng dấu chấm phẩy."),
    IssueType("initiative-shares-not-100", E, "Tỷ lệ đóng góp không đủ 100%",
              "Tỷ lệ đóng góp của các tác giả: {detail}. Hãy sửa để tổng là 100%."),
    IssueType("initiative-unknown-author", W, "Tác giả không có trong danh sách nhân viên",
              "Tác giả \"{value}\" không có trong danh sách nhân viên {staff}; phần của tác giả "
              "này không được dùng làm căn cứ khen thưởng ở đây.{suggestion}"),
    IssueType("initiative-unknown-level", E, "Cấp công nhận không rõ",
              "Cấp công nhận \"{value}\" không nhận ra. Dùng: cơ sở, ngành, tỉnh, toàn quốc."),
    IssueType("initiative-unknown-kind", E, "Loại không rõ",
              "Loại \"{value}\" không nhận ra. Dùng \"Sáng kiến\" hoặc \"Đề tài\"."),
    IssueType("initiative-invalid-date", E, "Ngày quyết định không hợp lệ",
              "\"{value}\" không phải là ngày; ghi dạng 20/11/2025."),
    IssueType("initiative-no-year", E, "Không biết năm của sáng kiến",
              "Sáng kiến không có năm công nhận (\"{value}\") và không có ngày quyết định; "
              "hãy ghi một trong hai."),
    IssueType("initiative-invalid-year-to", E, "Năm hết giá trị không hợp lệ",
              "\"Dùng đến năm\" {value} phải từ năm {year} đến năm {year} + 10."),
    IssueType("initiative-date-outside-period", E, "Ngày công nhận ngoài kỳ",
              "Ngày quyết định {value} nằm ngoài kỳ {period} ({start} – {end}); kiểm tra lại ngày, "
              "hoặc nhập sáng kiến này cùng kỳ của nó."),
    # --- the register of exemplary models (thidua initiatives models import) ----------------
    IssueType("model-missing-name", E, "Thiếu cá nhân, tập thể điển hình",
              "Dòng có dữ liệu nhưng thiếu họ tên cá nhân hoặc tên tập thể điển hình."),
    IssueType("model-missing-model", E, "Thiếu mô hình",
              "Dòng có dữ liệu nhưng thiếu mô hình, cách làm được nêu gương."),
    IssueType("model-unknown-kind", E, "Đối tượng không rõ",
              "Đối tượng \"{value}\" không nhận ra. Dùng \"Cá nhân\" hoặc \"Tập thể\"."),
    IssueType("model-no-year", E, "Không biết năm của điển hình",
              "Năm \"{value}\" không hợp lệ; ghi năm công nhận điển hình (ví dụ 2026)."),
    IssueType("publish-missing-candidate", E, "Ý kiến không ghi về ai",
              "Dòng ý kiến chưa ghi mã NV của người được góp ý."),
    IssueType("publish-unknown-candidate", E, "Không có trong danh sách công khai",
              "Mã NV \"{value}\" không có trong danh sách đề nghị khen thưởng năm {year} đã niêm "
              "yết; kiểm tra lại mã (xem sheet \"Danh sách công khai\")."),
    IssueType("publish-unknown-comment-kind", E, "Hình thức ý kiến không rõ",
              "Hình thức \"{value}\" không nhận ra. Dùng: {kinds}."),
    IssueType("publish-invalid-date", E, "Ngày nhận không hợp lệ",
              "\"{value}\" không phải là ngày; ghi dạng 05/02/2027."),
    IssueType("publish-invalid-flag", E, "Ô \"Đã giải quyết xong\" không rõ",
              "\"{value}\" không rõ; ghi x (đã giải quyết xong) hoặc để trống."),
    IssueType("publish-late-comment", W, "Ý kiến nhận sau hạn",
              "Ý kiến nhận ngày {value}, sau hạn {deadline}; vẫn được tổng hợp vào biên bản, "
              "Hội đồng xem xét."),
    # --- KPI (thidua kpi, thidua score --kpi) -------------------------------------------------
    IssueType("kpi-no-header", E, "Không tìm thấy bảng chỉ số KPI",
              "Không tìm thấy dòng tiêu đề của bảng KPI trong 30 dòng đầu. Cần ít nhất các cột: Mã "
              "chỉ số (hoặc Tên chỉ số), Chỉ tiêu, Thực hiện. Tạo mẫu bằng `thidua kpi template`."),
    IssueType("kpi-unknown-level", E, "Cấp KPI không rõ",
              "Cấp \"{value}\" không rõ; ghi bệnh viện, khoa/phòng, quản lý hoặc nhân viên."),
    IssueType("kpi-missing-owner", E, "Thiếu đơn vị hoặc người thực hiện",
              "Chỉ số {indicator} cấp {level} thiếu {what}. Hãy điền cột đó."),
    IssueType("kpi-unknown-owner", W, "Khoa/phòng hoặc người không có trong danh sách",
              "{what} \"{value}\" của chỉ số {indicator} không có trong {where}.{suggestion}"),
    IssueType("kpi-unknown-direction", E, "Thiếu hoặc không rõ chiều của chỉ số",
              "Chỉ số {indicator}: chiều \"{value}\" không rõ. Ghi \"cao hơn tốt hơn\", \"thấp "
              "hơn tốt hơn\" hoặc \"trong khoảng\"."),
    IssueType("kpi-unknown-kind", E, "Loại chỉ số không rõ",
              "Loại chỉ số \"{value}\" không rõ; ghi số liệu, tỷ lệ, chất lượng (mức 1–5) hoặc "
              "hài lòng (khảo sát)."),
    IssueType("kpi-missing-target", E, "Thiếu chỉ tiêu",
              "Chỉ số {indicator} chưa có chỉ tiêu ({what}). Hãy điền chỉ tiêu."),
    IssueType("kpi-target-zero", E, "Chỉ tiêu bằng 0 với công thức tỷ lệ",
              "Chỉ số {indicator} có chỉ tiêu {value}: công thức tỷ lệ ({formula}) không dùng được "
              "với chỉ tiêu 0. Hãy đổi chiều thành \"trong khoảng\" hoặc ghi chỉ tiêu khác 0."),
    IssueType("kpi-missing-actual", E, "Thiếu số thực hiện",
              "Chỉ số {indicator} chưa có số thực hiện. {policy}"),
    IssueType("kpi-negative", E, "Số âm trong bảng KPI",
              "Ô \"{header}\" là {value}, không được âm."),
    IssueType("kpi-quality-level", E, "Mức tiêu chí chất lượng ngoài 1–5",
              "Chỉ số {indicator} là tiêu chí chất lượng (mức 1–5) nhưng ô \"{header}\" là "
              "{value}. Hãy ghi mức từ 1 đến 5."),
    IssueType("kpi-percent-ambiguous", E, "Tỷ lệ phần trăm không rõ",
              "Ô \"{header}\" là {value} trong khi ô khác cùng dòng là {other}: không rõ {value} là "
              "{value} % hay {scaled} %. Hãy ghi kèm dấu %, ví dụ \"{scaled}%\"."),
    IssueType("kpi-band-bounds", E, "Thiếu cận của khoảng",
              "Chỉ số {indicator} có chiều \"trong khoảng\" nhưng {what}. Hãy điền Cận dưới và Cận "
              "trên (cận dưới không lớn hơn cận trên)."),
    IssueType("kpi-unknown-parent", E, "Chỉ số cha không có",
              "Chỉ số {indicator} phân bổ từ chỉ số \"{value}\" nhưng không có chỉ số {level} nào "
              "mã đó.{suggestion}"),
    IssueType("kpi-duplicate-indicator", E, "Chỉ số bị trùng",
              "Chỉ số {indicator} của {owner} đã có ở dòng {other}. Mỗi chỉ số chỉ một dòng cho "
              "mỗi đơn vị, người."),
    IssueType("kpi-weights-not-100", W, "Tổng trọng số khác 100",
              "Tổng trọng số các chỉ số của {owner} là {value}, không phải 100; điểm KPI tính "
              "theo tỷ lệ trọng số."),
    IssueType("kpi-rank-tie", I, "Bằng điểm KPI khi xếp hạng",
              "{scope}: {value} cùng {score} điểm KPI, cùng hạng {rank}."),
    IssueType("kpi-no-score", E, "Không có điểm KPI",
              "\"{name}\" ({staff_id}) không có điểm KPI (không có chỉ số cá nhân nào tính được, "
              "và {why}) nên tiêu chí {criterion} không điền được. Hãy bổ sung bảng KPI."),
    # --- thidua income (thu nhập tăng thêm, issue 16) ------------------------------------------
    IssueType("income-missing-column", E, "Thiếu cột bắt buộc",
              "Không tìm thấy bảng có các cột {expected} trong 30 dòng đầu của {what}. Các tiêu đề "
              "tìm thấy: {found}. Hãy thêm một dòng tiêu đề có các cột đó."),
    IssueType("income-bad-value", E, "Giá trị không hợp lệ",
              "Ô \"{header}\" có giá trị \"{value}\" không dùng được: {reason}."),
    IssueType("income-duplicate-staff", E, "Trùng mã nhân viên trong bảng nhân sự",
              "Mã NV \"{value}\" có hai lần trong bảng nhân sự (lần đầu ở dòng {first}); hãy giữ một "
              "dòng."),
    IssueType("income-duplicate-grade", E, "Trùng mã nhân viên trong bảng loại",
              "Mã NV \"{value}\" được xếp loại hai lần; hãy giữ một dòng."),
    IssueType("income-not-in-staff", E, "Có loại nhưng không có trong bảng nhân sự",
              "{name} (mã NV {value}) có loại trong kỳ nhưng không có trong bảng nhân sự; hãy thêm "
              "người này vào bảng nhân sự hoặc sửa mã NV."),
    IssueType("income-not-graded", E, "Có trong bảng nhân sự nhưng chưa có loại",
              "{name} (mã NV {value}) có trong bảng nhân sự nhưng không có loại của kỳ; hãy bổ "
              "sung loại hoặc xoá khỏi bảng nhân sự."),
    IssueType("income-pending-council", E, "Chờ Hội đồng xét",
              "{name} (mã NV {value}) đang chờ Hội đồng xét loại; hãy ghi loại Hội đồng đã xét vào "
              "bảng loại rồi chạy lại."),
    IssueType("income-unknown-grade", E, "Loại không có trong quy chế",
              "Loại \"{value}\" không có trong [{table}] của quy chế (có: {known})."),
    IssueType("income-days-above-standard", E, "Ngày công vượt ngày công chuẩn",
              "{what} là {value}, nhiều hơn ngày công chuẩn của kỳ ({standard} ngày); hãy kiểm tra "
              "lại."),
    IssueType("income-missing-coefficient", E, "Thiếu hệ số vị trí",
              "Mã NV {value} không có hệ số vị trí việc làm, mà quy chế chia theo \"{basis}\"; hãy "
              "ghi cột \"Hệ số vị trí\"."),
    IssueType("income-fund-not-positive", E, "Quỹ không chia được",
              "Quỹ của {department} là {value} đ: phải lớn hơn 0."),
    IssueType("income-no-fund", E, "Khoa/phòng không có quỹ",
              "Khoa/phòng \"{value}\" có người trong bảng nhân sự nhưng không có dòng quỹ trong "
              "{source}."),
    IssueType("income-fund-without-staff", E, "Quỹ của khoa/phòng không có người",
              "Có quỹ cho \"{value}\" nhưng bảng nhân sự không có ai thuộc khoa/phòng này."),
    IssueType("income-no-points", E, "Không ai được chia",
              "Không ai trong {value} có điểm để chia quỹ (mọi người đều không được chia); quỹ "
              "không chia được."),
    IssueType("income-above-ceiling", W, "Quỹ vượt mức trần đã khai báo",
              "Quỹ của kỳ {value} đ lớn hơn {multiple} lần quỹ tiền lương ngạch, bậc, chức vụ của "
              "kỳ ({limit} đ; nhóm tự chủ {group}; căn cứ: {basis})."),
)

CATALOGUE: dict[str, IssueType] = {t.code: t for t in _TYPES}


def make_issue(
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    header: str | None = None,
    value: Any = None,
    severity: Severity | None = None,
    **params: Any,
) -> Issue:
    """Build an :class:`Issue` from the catalogue; ``params`` fill the message template."""
    kind = CATALOGUE[code]
    shown = "" if value is None else _short(value)
    message = kind.format(value=shown, header=header or "", row=row, column=column, **params)
    return Issue(
        code=code,
        severity=severity or kind.severity,
        message=message,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        header=header,
        value=value,
    )


def display_value(value: Any) -> str:
    """A cell value as a Vietnamese clerk reads it: 17.0 → "17", 8.5 → "8,5", dates dd/mm/yyyy;
    text exactly as typed."""
    import math
    from datetime import date, datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        shown = value.strftime("%d/%m/%Y")
        return shown if value.time() == datetime.min.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _short(value: Any, limit: int = 120) -> str:
    text = display_value(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_table() -> str:
    """The README's table of codes (checked by a test)."""
    lines = ["| Mã | Mức | Ý nghĩa |", "|---|---|---|"]
    for t in _TYPES:
        lines.append(f"| `{t.code}` | {t.severity.label} | {t.title} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table())
