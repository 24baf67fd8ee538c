"""The ONE catalogue of the reasons behind awards decisions: a reason is data (a code and its
parameters, :class:`~thidua_cli.core.awards_model.Condition`), rendered to Vietnamese only where
a person reads it (the proposal workbook's "Lý do" sheet, ``thidua awards --explain``, the
documents). The result file ``thidua.awards/2`` stores the code and the parameters, never the
text. Each template ends with the article it rests on, in parentheses; ``{0}``, ``{1}`` … are the
parameters in order (str.format). Codes are stable: a result written by one version renders
with the next; change a template's wording freely, never the meaning or the order of its
parameters (add a new code instead). Pure module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LEGACY_TEXT = "text"  # a reason read from a thidua.awards/1 result: its stored text, verbatim

CATALOGUE: dict[str, str] = {
    LEGACY_TEXT: "{0}",
    "pick-quota.1": "Trong số suất {0} ({1} suất, xếp theo điểm năm){2} (quy chế)",
    "pick-quota.2": "Bằng điểm ở ranh giới số suất {0} ({1} suất): chờ Hội đồng xét (quy chế)",
    "pick-quota.3": "Ngoài số suất {0}: {1} suất, xếp theo điểm năm {2} (quy chế)",
    "votes.tally": "Hội đồng bỏ phiếu đồng ý {0}/{1} thành viên = {2} (cần {3} tổng số thành viên) ({4})",
    "votes.needed": "Cần được Hội đồng bỏ phiếu đồng ý {0} tổng số thành viên ({1})",
    "votes.missing": "Chưa có kết quả bỏ phiếu của Hội đồng (cần {0} tổng số thành viên) ({1})",
    "ldtt-share-condition.1": "Chỉ {0}, dưới {1} ({2})",
    "discipline-condition.1": "Có {0} thành viên bị kỷ luật từ hình thức cảnh cáo trở lên: {1} ({2})",
    "collective-rating.1": "Điểm bình quân của khoa/phòng {0}, dưới {1}: chưa {2} ({3}; quy chế)",
    "ldtt.1": "Có tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua (Luật TĐKT 2022 Điều 24): Hội đồng xem xét",
    "ldtt.2": "Không trong thời gian đang bị xem xét kỷ luật, điều tra, giải quyết khiếu nại, tố cáo: Hội đồng xác nhận",
    "giay-khen.1": "Gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước (Luật TĐKT 2022 Điều 75): Hội đồng xem xét",
    "cstd-tinh.1": "Sáng kiến, đề tài có hiệu quả, phạm vi ảnh hưởng trong toàn Bộ, ngành, tỉnh, được người đứng đầu công nhận (Luật TĐKT 2022 Điều 22): cần cấp tỉnh xác nhận",
    "bang-khen-tinh.1": "Gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà nước (Luật TĐKT 2022 Điều 74): Hội đồng xem xét",
    "bang-khen-ttg.1": "Đã được tặng Bằng khen cấp Bộ, ngành, tỉnh năm {0} (Luật TĐKT 2022 Điều 73)",
    "ttldtt.1": "Nội bộ đoàn kết, tham gia phong trào thi đua thường xuyên, thiết thực, hiệu quả (Luật TĐKT 2022 Điều 28): Hội đồng xác nhận",
    "ldtt-share-condition.2": "{0} (từ {1} trở lên) ({2})",
    "ldtt-share-condition.3": "{0}, còn {1} người chờ Hội đồng xét Lao động tiên tiến: đủ {2} nếu được công nhận ({3})",
    "discipline-condition.2": "Không có thành viên bị kỷ luật từ hình thức cảnh cáo trở lên ({0})",
    "collective-rating.2": "Tập thể {0} được giao ({1}): Hội đồng xác nhận",
    "collective-rating.3": "Điểm bình quân của khoa/phòng {0} (từ {1}: {2}) ({3}; quy chế)",
    "bang-khen-tinh-collective.1": "Thực hiện tốt dân chủ cơ sở, chăm lo đời sống, thực hành tiết kiệm, phòng chống tham nhũng (Luật TĐKT 2022 Điều 74): Hội đồng xác nhận",
    "ldtt.3": "{0}{1}, từ Hoàn thành tốt nhiệm vụ trở lên (Luật TĐKT 2022 Điều 24)",
    "ldtt.4": "{0}, chưa đạt Hoàn thành tốt nhiệm vụ trở lên (Luật TĐKT 2022 Điều 24)",
    "ldtt.5": "Không bị kỷ luật trong năm (NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP)",
    "ldtt.6": "Bị kỷ luật ({0}) trong năm (NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP)",
    "time-counted-conditions.1": "{0} được tính là thời gian công tác để xét Lao động tiên tiến (TT 01/2024/TT-BNV)",
    "time-counted-conditions.2": "Còn trong thời hạn kỷ luật đến ngày {0}: chưa tính thành tích ({1})",
    "quarter-conditions.1": "Có {0} quý loại A/B (quy chế yêu cầu ít nhất {1}) (quy chế)",
    "cstdcs.1": "Đạt tiêu chuẩn Lao động tiên tiến (Luật TĐKT 2022 Điều 23)",
    "cstdcs.2": "Chưa đạt tiêu chuẩn Lao động tiên tiến (xem lý do ở LĐTT) (Luật TĐKT 2022 Điều 23)",
    "cstdcs.3": "Xếp loại năm Hoàn thành xuất sắc nhiệm vụ (Luật TĐKT 2022 Điều 23)",
    "giay-khen.2": "{0}; quy chế yêu cầu từ {1} trở lên (Luật TĐKT 2022 Điều 75)",
    "giay-khen.3": "Không bị kỷ luật trong năm (NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP)",
    "giay-khen.4": "Bị kỷ luật ({0}) trong năm (NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP)",
    "cstd-tinh.2": "Đạt Chiến sĩ thi đua cơ sở {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 22)",
    "cstd-tinh.3": "Chiến sĩ thi đua cơ sở {0} năm liên tục {1}: {2} (Luật TĐKT 2022 Điều 22)",
    "bang-khen-tinh.2": "Đạt Chiến sĩ thi đua cơ sở {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 74)",
    "bang-khen-ttg.2": "Hoàn thành tốt nhiệm vụ trở lên {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 73)",
    "bang-khen-ttg.3": "Chưa đủ {0} năm liên tục từ Hoàn thành tốt nhiệm vụ trở lên ({1}): {2} (Luật TĐKT 2022 Điều 73)",
    "bang-khen-ttg.4": "Có {0} lần Chiến sĩ thi đua cơ sở trong {1} (cần {2}) (Luật TĐKT 2022 Điều 73)",
    "ttldtt.2": "Khoa/phòng không có thành viên được xếp loại (Luật TĐKT 2022 Điều 28)",
    "ttldxs.1": "Khoa/phòng không có thành viên được xếp loại (Luật TĐKT 2022 Điều 27)",
    "ttldxs.2": "Có {0} cá nhân đạt Chiến sĩ thi đua cơ sở (cần ít nhất {1}) (Luật TĐKT 2022 Điều 27)",
    "bang-khen-tinh-collective.2": "Đạt Tập thể lao động xuất sắc {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 74)",
    "bang-khen-tinh-collective.3": "Có điều kiện: Tập thể lao động xuất sắc năm {0} do cấp tỉnh quyết định; Bằng khen chờ cấp tỉnh công nhận danh hiệu này (Luật TĐKT 2022 Điều 27, Luật TĐKT 2022 Điều 74)",
    "ldtt.7": "Không có ngày tuyển dụng trong bảng điểm: coi như đã công tác đủ {0} tháng ({1})",
    "ldtt.8": "Đã đăng ký thi đua (quy chế)",
    "ldtt.9": "Nghỉ {0} ngày làm việc (không kể thai sản), dưới {1} ngày (quy chế)",
    "ldtt.10": "Nghỉ {0} ngày làm việc (không kể thai sản), từ {1} ngày trở lên (quy chế)",
    "time-counted-conditions.3": "{0} (tối thiểu {1} tháng) ({2})",
    "time-counted-conditions.4": "{0}; công tác ở đơn vị cũ {1} tháng trong năm (dưới 6 tháng: không cần ý kiến đơn vị cũ) (NĐ 90/2020/NĐ-CP Điều 20.1)",
    "quarter-conditions.2": "{0}: quy chế yêu cầu {1} (quy chế)",
    "quarter-conditions.3": "{0} (quy chế)",
    "quarter-conditions.4": "Có tên trong bảng điểm {0} (quy chế)",
    "quarter-conditions.5": "Không có tên trong bảng điểm {0} (đã chuyển công tác hoặc nghỉ việc); quy chế chỉ xét người còn công tác cuối năm (quy chế)",
    "cstdcs.4": "Có {0} năm {1}, chưa dùng làm căn cứ khen thưởng khác (Luật TĐKT 2022 Điều 23; CV 5007/BNV-TĐKT)",
    "giay-khen.5": "{0}, từ {1} trở lên (Luật TĐKT 2022 Điều 75)",
    "giay-khen.6": "{0}, chưa đạt {1} (Luật TĐKT 2022 Điều 75)",
    "giay-khen.7": "Có thành tích: {0} (Luật TĐKT 2022 Điều 75)",
    "cstd-tinh.4": "Không còn sáng kiến/đề tài nào trong {0} chưa dùng làm căn cứ khen thưởng khác (Luật TĐKT 2022 Điều 22; CV 5007/BNV-TĐKT)",
    "cstd-tinh.5": "Có sáng kiến/đề tài trong {0} chưa dùng làm căn cứ khen thưởng khác (Luật TĐKT 2022 Điều 22; CV 5007/BNV-TĐKT)",
    "bang-khen-tinh.3": "Hoàn thành xuất sắc nhiệm vụ {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 74)",
    "bang-khen-tinh.4": "Có {0} sáng kiến/đề tài trong {1} chưa dùng làm căn cứ khen thưởng khác (Luật TĐKT 2022 Điều 74; CV 5007/BNV-TĐKT)",
    "bang-khen-tinh.5": "Chỉ có {0} sáng kiến/đề tài trong {1} chưa dùng làm căn cứ khen thưởng khác, cần {2} (Luật TĐKT 2022 Điều 74; CV 5007/BNV-TĐKT)",
    "bang-khen-ttg.5": "Bằng khen cấp Bộ, tỉnh năm {0}: chưa đủ {1} năm tiếp theo đến {2} (Luật TĐKT 2022 Điều 73)",
    "bang-khen-ttg.6": "Chưa có Bằng khen cấp Bộ, ngành, tỉnh trong sổ lịch sử (Luật TĐKT 2022 Điều 73)",
    "bang-khen-ttg.7": "Có {0} lần CSTĐCS trong {1}, cần {2}: năm nay chờ Hội đồng (Luật TĐKT 2022 Điều 73)",
    "bang-khen-ttg.8": "Chỉ có {0} lần Chiến sĩ thi đua cơ sở trong {1}, cần {2} (Luật TĐKT 2022 Điều 73)",
    "ttldxs.3": "100% thành viên ({0}) hoàn thành nhiệm vụ trở lên (Luật TĐKT 2022 Điều 27)",
    "ttldxs.4": "{0}/{1} thành viên chưa hoàn thành nhiệm vụ: {2}; cần 100% (Luật TĐKT 2022 Điều 27)",
    "ttldxs.5": "Có {0} CSTĐCS, cần {1}: còn người chờ Hội đồng xét (Luật TĐKT 2022 Điều 27)",
    "ttldxs.6": "Không có đủ {0} cá nhân đạt Chiến sĩ thi đua cơ sở (Luật TĐKT 2022 Điều 27)",
    "bang-khen-tinh-collective.4": "Hoàn thành xuất sắc nhiệm vụ {0} năm liên tục ({1}) (Luật TĐKT 2022 Điều 74): {2}",
    "bang-khen-tinh-collective.5": "Tập thể lao động xuất sắc {0} năm liên tục {1}: {2}; hoặc hoàn thành xuất sắc nhiệm vụ {0} năm liên tục: {3} (Luật TĐKT 2022 Điều 74)",
    "ldtt.11": "Đã công tác {0} tháng kể từ {1} (tối thiểu {2} tháng) ({3})",
    "ldtt.12": "Chưa đủ {0} tháng kể từ {1}: đến {2} được {3} tháng ({4})",
    "ldtt.13": "Không đăng ký thi đua; người không đăng ký không được xét (quy chế)",
    "ldtt.14": "Không có thông tin đăng ký thi đua (cột \"Đăng ký thi đua\" để trống); quy chế yêu cầu đăng ký (quy chế)",
    "time-counted-conditions.5": "{0}; công tác ở đơn vị cũ {1} tháng trong năm, có ý kiến của đơn vị cũ: \"{2}\" (NĐ 90/2020/NĐ-CP Điều 20.1)",
    "time-counted-conditions.6": "{0}; công tác ở đơn vị cũ {1} tháng trong năm (từ 6 tháng): chưa có ý kiến nhận xét của đơn vị cũ (cột \"Ý kiến đơn vị cũ\") (NĐ 90/2020/NĐ-CP Điều 20.1)",
    "cstdcs.5": "Xếp loại năm chờ Hội đồng xét (bằng điểm ở ngưỡng trần HTXSNV): đạt nếu được HTXSNV (Luật TĐKT 2022 Điều 23)",
    "giay-khen.8": "Có thành tích: xếp loại Hoàn thành xuất sắc nhiệm vụ (Luật TĐKT 2022 Điều 75; quy chế)",
    "bang-khen-tinh.6": "{0} năm liên tục CSTĐCS hoặc HTXSNV ({1}): năm nay chờ Hội đồng xét (Luật TĐKT 2022 Điều 74)",
    "bang-khen-tinh.7": "Chưa đủ {0} năm liên tục đạt CSTĐCS ({1}) hoặc HTXSNV ({2}) (Luật TĐKT 2022 Điều 74)",
    "cstdcs.6": "Không xếp loại HTXSNV; sáng kiến/đề tài năm {0} đã dùng làm căn cứ cho khen thưởng khác, mỗi sáng kiến chỉ dùng một lần (Luật TĐKT 2022 Điều 23; CV 5007/BNV-TĐKT)",
    "cstdcs.7": "Không xếp loại HTXSNV{0}, không có sáng kiến được công nhận hay đề tài khoa học được nghiệm thu trong năm (Luật TĐKT 2022 Điều 23)",
    "giay-khen.9": "Sáng kiến/đề tài năm {0} để dành cho khen thưởng nhiều năm (Bằng khen, CSTĐ cấp tỉnh: Luật TĐKT 2022 Điều 74, Luật TĐKT 2022 Điều 22); không dùng cho Giấy khen (CV 5007/BNV-TĐKT)",
    "giay-khen.10": "Có thành tích: sáng kiến/đề tài năm {0} chưa dùng làm căn cứ khen thưởng khác (Luật TĐKT 2022 Điều 75; CV 5007/BNV-TĐKT)",
    "giay-khen.11": "Xếp loại chờ Hội đồng xét: có thành tích nếu được HTXSNV (Luật TĐKT 2022 Điều 75)",
    "giay-khen.12": "Sáng kiến/đề tài năm {0} đã dùng làm căn cứ cho khen thưởng khác; mỗi sáng kiến chỉ dùng một lần (Luật TĐKT 2022 Điều 75; CV 5007/BNV-TĐKT)",
    "giay-khen.13": "Không có thành tích quy chế yêu cầu ({0}){1} (Luật TĐKT 2022 Điều 75; quy chế)",
    # --- end of catalogue ---
}


def render(code: str, params: Sequence[Any] = ()) -> str:
    """The Vietnamese text of reason ``code`` with its parameters. An unknown code (a result
    written by a newer thidua) shows as the code and its parameters, never a crash."""
    template = CATALOGUE.get(code)
    if template is None:
        return f"[{code}] " + "; ".join(str(p) for p in params)
    return template.format(*params)


def json_param(value: Any) -> str | int | float | bool | None:
    """A parameter as JSON holds it: numbers and text as they are, anything else (Decimal,
    Fraction, enum) as the text the template would have shown (``format(value, "")``), so the
    rendering after a round trip is the same."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return format(value, "")
