"""Rendering the decision documents from Jinja templates (issue 5).

- **Environment**: ``ImmutableSandboxedEnvironment`` (a template from another hospital cannot
  reach Python internals: ``{{ ''.__class__.__mro__ }}`` fails with a clear error), with
  ``StrictUndefined`` (an undefined variable is an error naming the template and the line) and
  autoescaping (a name with "&" or "<" appears as typed; without it docxtpl's XML repair drops
  them silently). Repetition and powers of huge numbers are refused too.
- **Loader chain**: the hospital's folder (``--templates DIR`` or the regulation's
  ``[documents] templates``) first, then the packaged defaults (``thidua_cli/templates``); a
  kind's template is ``<kind>.docx``, ``<kind>.html`` or ``<kind>.md`` (first found, user folder
  before defaults), and Markdown/HTML templates may ``{% include %}`` each other across the chain.
- **.docx** through docxtpl (``{%p %}``, ``{%tr %}`` tags; a template object renders once, so
  each document loads its own); **.html/.md** through the same environment and context.
- **Writing**: every output goes through :func:`thidua_cli.io.atomic.write_atomic`; all target
  paths are checked before anything is written, so a refused run writes nothing.
- **PDF**: LibreOffice headless with a private profile, one document per call, each with a time
  limit scaled to its size; the PDFs that converted are kept when another fails.
- **Checking**: :func:`check_template` lists the variables a template uses that the context does
  not provide (following loops: ``r.name`` inside ``{% for r in g.rows %}``), syntax errors, and
  the tags Word has split across runs, each with its fix.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from thidua_cli.config.sections import CertificateSettings
from thidua_cli.core import vnformat as fmt
from thidua_cli.core.documents import DocumentSet
from thidua_cli.core.documents.certificates import Placed, calibration_page
from thidua_cli.core.money import money_in_words
from thidua_cli.core.names import name_sort_key, vietnamese_key
from thidua_cli.errors import TemplateError
from thidua_cli.io.atomic import OutputWriteError, make_output_folder, write_atomic
from thidua_cli.io.template_safety import RenderBudget, refuse_unsafe, time_limit, unsafe_parts

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

TEMPLATE_EXTENSIONS = (".docx", ".html", ".htm", ".md")
_TEXT_EXTENSIONS = (".html", ".htm", ".md", ".txt")
_AUTOESCAPE_EXTENSIONS = ("html", "htm", "xml")
_MAX_REPEAT = 100_000  # characters or items a template may build with "*"
_MAX_EXPONENT = 100


# --------------------------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------------------------


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, plus limits on "*" and "**" so a template cannot exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(times, int)
                    and len(seq) * max(times, 0) > _MAX_REPEAT
                ):
                    raise SecurityError("phép nhân tạo ra chuỗi hoặc danh sách quá dài")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > _MAX_EXPONENT:
            raise SecurityError("số mũ quá lớn")
        return super().call_binop(context, operator, left, right)


@dataclass(frozen=True)
class RenderSettings:
    """Regional settings used by the filters."""

    linh: str = "linh"
    nghin: str = "nghìn"
    name_order: str = "ten-ho-dem"


def _vn_sorted(settings: RenderSettings, seq: Iterable[Any], attribute: str = "name") -> list[Any]:
    """Sort a list of people (dicts with ``attribute``) or names in Vietnamese list order."""
    items = list(seq)

    def key(item: Any) -> tuple[Any, ...]:
        value = item.get(attribute, "") if isinstance(item, Mapping) else item
        collective = isinstance(item, Mapping) and item.get("collective")
        if collective:
            return (vietnamese_key(value),)
        return name_sort_key(value, settings.name_order)

    return sorted(items, key=key)


def make_environment(
    settings: RenderSettings | None = None,
    loader: jinja2.BaseLoader | None = None,
    budget: RenderBudget | None = None,
) -> jinja2.Environment:
    """The sandboxed, strict, autoescaped environment with the Vietnamese filters:

    ``money_words`` (12.000 → "Mười hai nghìn đồng"), ``date_line(place)`` ("An Bình, ngày 05
    tháng 01 năm 2026"), ``date_words``, ``dmy`` ("05/01/2026"), ``thousands`` ("2.340.000"),
    ``decimal_comma`` ("0,3"), ``percent`` ("88,9%"), ``vn_sorted(attribute="name")`` and
    ``sentence_case``.

    With a ``budget`` (one per render), ``range`` charges its items to the budget's loop bound
    before any iteration runs, and the output is joined through the budget's ``concat``, which
    stops at the output bound: nested ``range`` loops and ever-growing output fail (exit 5)
    instead of hanging or exhausting memory."""
    s = settings or RenderSettings()
    env = _Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=_AUTOESCAPE_EXTENSIONS, default_for_string=True, default=False
        ),
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "money_words": partial(_money_words, s),
            "date_line": fmt.date_line,
            "date_words": fmt.date_words,
            "dmy": fmt.dmy,
            "thousands": fmt.thousands,
            "decimal_comma": fmt.decimal_comma,
            "percent": fmt.percent,
            "vn_sorted": partial(_vn_sorted, s),
            "sentence_case": fmt.sentence_case,
        }
    )
    if budget is not None:
        charged = budget

        def bounded_range(*args: Any) -> range:
            r = safe_range(*args)  # the sandbox's own cap on one range still applies
            charged.charge_items(len(r))
            return r

        env.globals["range"] = bounded_range
        env.concat = budget.concat  # type: ignore[method-assign]
    return env


def _money_words(settings: RenderSettings, value: Any) -> str:
    if isinstance(value, str):
        # An amount written the Vietnamese way: dots between thousands, a decimal comma
        # ("1,5" is not 15 đồng: money_in_words refuses a fraction).
        text = value.strip().replace(".", "").replace(",", ".") or "0"
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"\"{value}\" không phải là số tiền") from exc
    return money_in_words(value, linh=settings.linh, nghin=settings.nghin)


# --------------------------------------------------------------------------------------------
# Finding templates: the hospital's folder first, then the packaged defaults
# --------------------------------------------------------------------------------------------


def _defaults() -> Traversable:
    return resources.files("thidua_cli").joinpath("templates")


@dataclass(frozen=True)
class TemplateRef:
    """Where a kind's template comes from."""

    kind: str
    name: str  # "quyet-dinh.docx"
    origin: str  # "user" | "default"
    path: Path | None  # the user's file
    resource: Traversable | None  # the packaged default

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def label(self) -> str:
        """How messages name it: the user's path, or "mẫu mặc định quyet-dinh.docx"."""
        return str(self.path) if self.path is not None else f"mẫu mặc định {self.name}"

    def read_bytes(self) -> bytes:
        try:
            if self.path is not None:
                return self.path.read_bytes()
            assert self.resource is not None
            return self.resource.read_bytes()
        except OSError as exc:
            raise TemplateError(f"Không đọc được mẫu {self.label}: {exc.strerror or exc}.") from exc


def check_templates_dir(folder: Path | str | None) -> Path | None:
    if folder is None or str(folder).strip() == "":
        return None
    path = Path(folder)
    if not path.is_dir():
        raise TemplateError(
            f"Không tìm thấy thư mục mẫu văn bản {path}. Hãy kiểm tra đường dẫn (--templates hoặc "
            "khoá documents.templates của quy chế), hoặc tạo thư mục bằng: thidua templates export "
            f"{path}"
        )
    return path


def find_template(kind: str, user_dir: Path | None = None) -> TemplateRef:
    """The template of ``kind``: ``<kind>.docx|.html|.htm|.md`` in ``user_dir``, else the default."""
    if user_dir is not None:
        for ext in TEMPLATE_EXTENSIONS:
            candidate = user_dir / f"{kind}{ext}"
            if candidate.is_file():
                return TemplateRef(kind, candidate.name, "user", candidate, None)
    base = _defaults()
    for ext in TEMPLATE_EXTENSIONS:
        res = base.joinpath(f"{kind}{ext}")
        if res.is_file():
            return TemplateRef(kind, f"{kind}{ext}", "default", None, res)
    raise TemplateError(
        f"Không có mẫu cho loại văn bản \"{kind}\" (cần tệp {kind}.docx, {kind}.html hoặc "
        f"{kind}.md trong thư mục mẫu)."
    )


def default_template_names() -> list[str]:
    return sorted(
        r.name for r in _defaults().iterdir() if r.is_file() and r.name.lower().endswith(TEMPLATE_EXTENSIONS)
    )


class _ResourceLoader(jinja2.BaseLoader):
    """Loads text templates from the packaged defaults (works from a wheel or a zip)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if "/" in template or "\\" in template or template.startswith("."):
            raise jinja2.TemplateNotFound(template)
        res = _defaults().joinpath(template)
        if not res.is_file():
            raise jinja2.TemplateNotFound(template)
        return res.read_text(encoding="utf-8"), f"mẫu mặc định {template}", lambda: True


def text_loader(user_dir: Path | None) -> jinja2.BaseLoader:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir), encoding="utf-8"))
    loaders.append(_ResourceLoader())
    return jinja2.ChoiceLoader(loaders)


# --------------------------------------------------------------------------------------------
# Turning Jinja failures into clear Vietnamese messages
# --------------------------------------------------------------------------------------------


def _template_lineno(tb: TracebackType | None, is_template: Callable[[str], bool]) -> int | None:
    """The template line of a runtime error: Jinja rewrites tracebacks so that template frames
    carry the template's file name and line. The innermost template frame wins."""
    line = None
    while tb is not None:
        if is_template(tb.tb_frame.f_code.co_filename):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_UNDEFINED_PATTERNS = (
    (re.compile(r"^'([^']+)' is undefined$"), "biến \"{0}\" không có trong dữ liệu"),
    (re.compile(r"^'(?:dict object|[^']+)' has no attribute '([^']+)'$"), "không có mục \"{0}\""),
)


# Jinja's own wording of a syntax error is English with no translation hook (issue 13): each
# sentence it writes (jinja2 parser.py, lexer.py) said again in Vietnamese; an unknown one is
# kept, marked as Jinja's.
_TOKENS = {"end of print statement": "}}", "begin of print statement": "{{",
           "end of statement block": "%}", "begin of statement block": "{%",
           "end of template": "cuối mẫu", "end of comment": "#}"}


def _tok(text: str) -> str:
    return _TOKENS.get(text, text)


def _tags(text: str) -> str:
    return " hoặc ".join(f"{{% {t} %}}" for t in re.findall(r"'([^']+)'", text)) or text


_SYNTAX_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Unexpected end of template\."), lambda m: "mẫu đã hết mà còn khối chưa đóng."),
    (re.compile(r"Encountered unknown tag '([^']+)'\."),
     lambda m: f"thẻ {{% {m[1]} %}} không có hoặc không đúng chỗ."),
    (re.compile(r"You probably made a nesting mistake\. Jinja is expecting this tag, but "
                r"currently looking for (.+?)\."),
     lambda m: f"các khối lồng nhau sai thứ tự: lúc này cần {_tags(m[1])} trước."),
    (re.compile(r"Jinja was looking for the following tags: (.+?)\."),
     lambda m: f"cần một trong các thẻ {_tags(m[1])}."),
    (re.compile(r"The innermost block that needs to be closed is '([^']+)'\."),
     lambda m: f"khối trong cùng chưa đóng là {{% {m[1]} %}}."),
    (re.compile(r"unexpected end of template, expected '(.+?)'\."),
     lambda m: f"mẫu đã hết trong khi còn chờ \"{_tok(m[1])}\"."),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"),
     lambda m: f"cần \"{_tok(m[1])}\" nhưng gặp \"{_tok(m[2])}\"."),
    (re.compile(r"unexpected char '(.+?)' at \d+"),
     lambda m: f"ký tự \"{m[1]}\" không dùng được ở đây."),
    (re.compile(r"unexpected '(.+?)', expected '(.+?)'"),
     lambda m: f"gặp \"{_tok(m[1])}\" trong khi cần \"{_tok(m[2])}\"."),
    (re.compile(r"unexpected '(.+?)'"), lambda m: f"\"{_tok(m[1])}\" không đúng chỗ."),
    (re.compile(r"tag name expected"), lambda m: "thiếu tên thẻ sau {%."),
    (re.compile(r"Missing end of comment tag"), lambda m: "thiếu dấu #} đóng chú thích."),
    (re.compile(r"Expected an expression, got '(.+?)'"),
     lambda m: f"cần một biểu thức nhưng gặp \"{_tok(m[1])}\"."),
    (re.compile(r"expected subscript expression"), lambda m: "thiếu chỉ số trong [ ]."),
    (re.compile(r"expected name or number"), lambda m: "sau dấu chấm phải là một tên hoặc số."),
    (re.compile(r"invalid syntax for function call expression"),
     lambda m: "lời gọi hàm viết sai."),
    (re.compile(r"Invalid character in identifier"),
     lambda m: "tên biến có ký tự không dùng được (chỉ chữ không dấu, số và _)."),
    (re.compile(r"No filter named '([^']+)'\.?(?: \(.*\))?"),
     lambda m: f"không có bộ lọc \"{m[1]}\"."),
    (re.compile(r"No test named '([^']+)'\.?(?: \(.*\))?"),
     lambda m: f"không có phép thử \"{m[1]}\"."),
)


def syntax_error_text(message: str) -> str:
    """"sai cú pháp Jinja: …" in Vietnamese, sentence by sentence, from Jinja's message."""
    said: list[str] = []
    rest = message.strip()
    while rest:
        for pattern, words in _SYNTAX_PATTERNS:
            m = pattern.match(rest)
            if m:
                said.append(words(m))
                rest = rest[m.end():].lstrip()
                break
        else:
            said.append(f"(thông báo gốc của Jinja: {rest.rstrip('.')})")
            break
    return "sai cú pháp Jinja: " + "; ".join(part.rstrip(".") for part in said) + "."


def _describe(exc: BaseException) -> str:
    text = str(exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else exc)
    if isinstance(exc, SecurityError) or "unsafe" in text:
        return (
            "mẫu cố truy cập phần bên trong của chương trình (" + text + "); thidua chặn việc này để "
            "bảo vệ máy tính. Hãy xoá đoạn đó khỏi mẫu"
        )
    if isinstance(exc, UndefinedError):
        for pattern, template in _UNDEFINED_PATTERNS:
            m = pattern.match(text)
            if m:
                return (
                    template.format(m.group(1))
                    + " (kiểm tra chính tả tên biến; danh sách biến có trong README, mục In văn bản, "
                    "hoặc chạy: thidua templates check <tệp mẫu>)"
                )
        return f"biến không có trong dữ liệu: {text}"
    if isinstance(exc, TemplateSyntaxError):
        return syntax_error_text(text)
    if isinstance(exc, RecursionError):
        return (
            "mẫu tự gọi lại chính nó không dừng (một macro gọi chính nó, hoặc hai mẫu include "
            "lẫn nhau); hãy sửa macro hoặc include đó"
        )
    return text


def _strip_xml(line: str) -> str:
    text = re.sub(r"<[^>]+>", "", line)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


def _failure(label: str, exc: BaseException, line: int | None, snippet: str | None) -> TemplateError:
    where = f"mẫu {label}"
    if line is not None:
        where += f", dòng {line}" if snippet is None else f", đoạn văn thứ {line}"
    quoted = f" «{snippet[:160]}»" if snippet else ""
    return TemplateError(f"Lỗi ở {where}{quoted}: {_describe(exc).rstrip('.')}.")


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


_RENDER_ERRORS = (
    jinja2.TemplateError, SecurityError, OverflowError, TypeError, ValueError, ZeroDivisionError,
    RecursionError,  # a macro that calls itself, templates that include each other
)


def _docx_source_lines(tpl: DocxTemplate) -> list[str]:
    """The Jinja source docxtpl renders for the part that failed, split as docxtpl splits it
    (a new line before every paragraph): line n is the n-th paragraph."""
    try:
        part = getattr(tpl, "current_rendering_part", None)
        if part is not None and part is not tpl.docx._part:
            xml = tpl.get_part_xml(part)
        else:
            xml = tpl.get_xml()
        xml = tpl.patch_xml(xml)
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).split("\n")
    except Exception:  # only used to quote a failing paragraph; never hide the real error
        return []


# What opening a damaged .docx raises: a bad zip, a missing part, broken XML (lxml's
# XMLSyntaxError is a SyntaxError).
_BAD_DOCX = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError)


def _not_a_docx(what: str, exc: BaseException) -> TemplateError:
    return TemplateError(
        f"{what} không phải tệp Word .docx hợp lệ ({exc}). Hãy mở bằng Word và lưu lại dạng "
        ".docx, hoặc xuất lại mẫu mặc định: thidua templates export <thư mục>."
    )


def render_docx(data: bytes, context: Mapping[str, Any], env: jinja2.Environment, *, label: str) -> bytes:
    """Render a .docx template (bytes) with docxtpl; return the document's bytes."""
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
    except _BAD_DOCX as exc:
        raise _not_a_docx(f"Mẫu {label}", exc) from exc
    try:
        tpl.render(dict(context), env, autoescape=True)
    except TemplateError:
        raise  # a bound of the render (RenderBudget, time_limit): its message says which
    except _RENDER_ERRORS as exc:
        line: int | None = (
            exc.lineno
            if isinstance(exc, TemplateSyntaxError)
            else _template_lineno(exc.__traceback__, lambda f: f == "<template>")
        )
        lines = _docx_source_lines(tpl)
        snippet = _strip_xml(lines[line - 1]) if line and 0 < line <= len(lines) else None
        # Line 1 is the opening <w:body>; line n + 1 is the n-th paragraph (tables included).
        paragraph = line - 1 if line and line > 1 else line
        raise _failure(label, exc, paragraph, snippet or None) from exc
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def render_text(ref: TemplateRef, context: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """Render a Markdown/HTML template through the loader chain; return UTF-8 bytes."""
    try:
        template = env.get_template(ref.name)
        text = template.render(dict(context))
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"Mẫu {ref.label} gọi mẫu \"{exc.name}\" nhưng không tìm thấy tệp đó.") from exc
    except TemplateError:
        raise  # a bound of the render (RenderBudget, time_limit): its message says which
    except UnicodeDecodeError as exc:  # before _RENDER_ERRORS: it is a ValueError too
        raise TemplateError(f"Mẫu {ref.label} không phải văn bản UTF-8. Hãy lưu lại với mã UTF-8.") from exc
    except _RENDER_ERRORS as exc:
        line = exc.lineno if isinstance(exc, TemplateSyntaxError) else _template_lineno(
            exc.__traceback__, lambda f: f.endswith(ref.name)
        )
        raise _failure(ref.label, exc, line, None) from exc
    return text.encode("utf-8")


@dataclass(frozen=True)
class RenderedDocument:
    kind: str
    filename: str
    data: bytes
    template: TemplateRef
    items: int  # pages of certificates or ballots; rows of the list otherwise


def output_name(kind: str, number: int | None, year: int, extension: str) -> str:
    """"quyet-dinh-12-2026.docx"; without a number "to-trinh-2026.docx"."""
    num = f"-{number:02d}" if number is not None else ""
    return f"{kind}{num}-{year}{extension}"


def _number_for_file(kind: str, docset: DocumentSet) -> int | None:
    ctx = docset.context
    number = ctx["decision"]["number"] if kind == "giay-khen" else ctx["docs"][kind]["number"]
    return number if isinstance(number, int) else None


def _items(kind: str, ctx: Mapping[str, Any]) -> int:
    if kind == "giay-khen":
        return len(ctx["certificates"])
    if kind == "phieu-bau":
        return len(ctx["ballots"])
    if kind == "bien-ban":
        return len(ctx["votes"]) + len(ctx.get("list_votes", ()))
    if kind == "kiem-phieu":
        return len(ctx.get("tally_votes", ctx["votes"]))
    if kind == "to-trinh-cap-tren":
        return int(ctx["higher"]["count_total"])
    return int(ctx["count_total"])


def render_kind(
    kind: str,
    docset: DocumentSet,
    *,
    user_dir: Path | None = None,
    settings: RenderSettings | None = None,
) -> RenderedDocument:
    """Render one document kind with the user's template if there is one, else the default."""
    ref = find_template(kind, user_dir)
    ctx = docset.for_kind(kind)
    blank = ctx.get("certificate_blank") or {}
    if kind == "giay-khen" and blank.get("mode") == "phoi" and ref.origin != "user":
        # Onto pre-printed blanks: the lines at their places, not the plain-paper template.
        opts = docset.context["certificate_blank"]
        data = placed_docx(opts["pages"], opts["page_width_mm"], opts["page_height_mm"],
                           title="Giấy khen in lên phôi")
    else:
        data = render_template(ref, ctx, user_dir=user_dir, settings=settings)
    name = output_name(kind, _number_for_file(kind, docset), int(docset.context["year"]), ref.extension)
    return RenderedDocument(kind, name, data, ref, _items(kind, ctx))


def render_template(
    ref: TemplateRef,
    context: Mapping[str, Any],
    *,
    user_dir: Path | None = None,
    settings: RenderSettings | None = None,
) -> bytes:
    """Render one template, fail-closed: a user's .docx that reaches outside or carries code is
    refused (exit 5, listing what was found); the render runs in the sandbox with its own
    :class:`RenderBudget` (loop items, output size) and wall-clock :func:`time_limit`.
    ``templates check`` runs this same function for its trial render, so both give one verdict."""
    budget = RenderBudget(ref.label)
    if ref.extension == ".docx":
        data = ref.read_bytes()
        if ref.origin == "user":
            refuse_unsafe(data, ref.label)
        env = make_environment(settings, budget=budget)
        with time_limit(budget):
            return render_docx(data, context, env, label=ref.label)
    env = make_environment(settings, text_loader(user_dir if ref.origin == "user" else None), budget=budget)
    with time_limit(budget):
        return render_text(ref, context, env)


def placed_docx(pages: Sequence[Sequence[Placed]], width_mm: float, height_mm: float, *, title: str) -> bytes:
    """A .docx of pages whose lines stand at fixed places: each line is a frame anchored to the
    page (w:framePr, read by Word and LibreOffice) at its x/y in millimetres, Times New Roman.
    For pre-printed certificate blanks and their calibration page (core/documents/certificates.py)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def twips(mm: float) -> str:
        return str(round(mm * 1440 / 25.4))

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if width_mm > height_mm else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width_mm), Mm(height_mm)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(5))
    section.header_distance = section.footer_distance = Mm(0)
    doc.core_properties.title = title
    doc.core_properties.author = "thidua"
    for n, page in enumerate(pages):
        # Framed paragraphs belong to the paragraph after them (Word and LibreOffice alike): an
        # empty line closes each page's frames and carries the page break.
        for item in page:
            para = doc.add_paragraph()
            fmt = para.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.line_spacing = 1.0
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if item.align == "center" else WD_ALIGN_PARAGRAPH.LEFT
            frame = OxmlElement("w:framePr")
            for key, value in (("w", twips(item.width_mm)), ("x", twips(item.x_mm)), ("y", twips(item.y_mm)),
                               ("hAnchor", "page"), ("vAnchor", "page"), ("wrap", "notBeside")):
                frame.set(qn(f"w:{key}"), value)
            para._p.get_or_add_pPr().insert(0, frame)
            run = para.add_run(item.text)
            run.font.name = "Times New Roman"
            rpr = run._element.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), "Times New Roman")
            run.font.size = Pt(item.size)
            run.font.bold = item.bold
            run.font.italic = item.italic
        anchor = doc.add_paragraph()
        anchor.paragraph_format.space_after = Pt(0)
        anchor.paragraph_format.page_break_before = n > 0
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


CALIBRATION_FILE = "giay-khen-can-chinh.docx"


def calibration_docx(docset: DocumentSet, settings: CertificateSettings) -> bytes:
    """The calibration page of the pre-printed blanks, with the first certificate's lines."""
    page = calibration_page(docset.context["certificate_blank"]["sample"], settings)
    return placed_docx([page], settings.page_width_mm, settings.page_height_mm,
                       title="Trang canh chỉnh in phôi Giấy khen")


def plan_outputs(kinds: Sequence[str], docset: DocumentSet, out_dir: Path, user_dir: Path | None) -> dict[str, Path]:
    """The file each kind will be written to (checked before anything is rendered)."""
    year = int(docset.context["year"])
    return {
        k: out_dir / output_name(k, _number_for_file(k, docset), year, find_template(k, user_dir).extension)
        for k in kinds
    }


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """The one output rule (io/outputs.guard) for documents, PDFs and exported templates:
    an existing file needs ``force`` (exit 6, nothing written), and even then only a file of
    the kind written here is replaced."""
    from thidua_cli.io.outputs import Protected, guard

    guard(list(paths), Protected(), force=force, other="thư mục khác (-o)")


def write_documents(
    kinds: Sequence[str],
    docset: DocumentSet,
    out_dir: Path,
    *,
    user_dir: Path | None = None,
    settings: RenderSettings | None = None,
    force: bool = False,
    on_done: Callable[[RenderedDocument, Path], None] | None = None,
) -> list[tuple[RenderedDocument, Path]]:
    """Render ``kinds`` and write them into ``out_dir``, creating ``out_dir`` (and its parents)
    when missing, as ``thidua init DIR`` does. Fail-closed: every target is checked first (an
    existing file without ``force``: nothing is written, exit 6); every document is rendered into
    a hidden temporary folder inside ``out_dir`` and moved in only when all of them succeeded, so a
    template that fails leaves none of the others behind, nor a folder this call created."""
    plan = plan_outputs(kinds, docset, out_dir, user_dir)
    refuse_existing(plan.values(), force)
    created = _first_missing(out_dir)
    make_output_folder(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".thidua-van-ban-", dir=out_dir))
    except OSError as exc:
        _remove_created(created, out_dir)
        raise OutputWriteError(
            f"Không ghi được vào thư mục {out_dir}: {exc.strerror or exc}. Hãy kiểm tra quyền ghi."
        ) from exc
    try:
        staged: list[RenderedDocument] = []
        for kind in kinds:
            doc = render_kind(kind, docset, user_dir=user_dir, settings=settings)
            write_atomic(staging / doc.filename, doc.data, force=False)
            staged.append(doc)
            if on_done is not None:
                on_done(doc, out_dir / doc.filename)
        written = []
        for doc in staged:
            path = out_dir / doc.filename
            # write_atomic's own checks (a folder in the way, a file that appeared meanwhile
            # without --force) before the rename; the staged copy is on the same file system.
            write_atomic(path, partial(_move_into, staging / doc.filename), force=force)
            written.append((doc, path))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_created(created, out_dir)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return written


def _move_into(src: Path, tmp: Path) -> None:
    os.replace(src, tmp)


def _first_missing(folder: Path) -> Path | None:
    """The outermost folder of ``folder``'s path that does not exist yet (None: it exists)."""
    missing = None
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing


def _remove_created(created: Path | None, out_dir: Path) -> None:
    """Remove the folders a refused run created, from ``out_dir`` up to ``created``, as long as
    they are empty (never anything a user put there meanwhile)."""
    if created is None:
        return
    folder = out_dir
    while True:
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == created:
            return
        folder = folder.parent


# --------------------------------------------------------------------------------------------
# Exporting the defaults
# --------------------------------------------------------------------------------------------


def export_templates(dest: Path, *, force: bool = False) -> list[Path]:
    """Copy the default templates into ``dest`` (created if missing) for the hospital to edit.
    Refuses (exit 6, nothing written) when one exists and ``force`` is not given."""
    make_output_folder(dest)
    names = default_template_names()
    targets = [dest / n for n in names]
    refuse_existing(targets, force)
    for name, target in zip(names, targets, strict=True):
        write_atomic(target, _defaults().joinpath(name).read_bytes(), force=force)
    return targets


# --------------------------------------------------------------------------------------------
# Checking a template
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateProblem:
    severity: str  # "error" (the document cannot be rendered) | "warning"
    where: str  # "đoạn văn 12" / "dòng 3"
    message: str
    fix: str


@dataclass
class TemplateCheck:
    template: str
    kind: str | None
    problems: list[TemplateProblem] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)  # dotted names the template reads

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _split_tags(xml_bytes: bytes) -> list[tuple[int, str, int]]:
    """(paragraph number, tag text, runs) for every Jinja tag whose text Word spread over more
    than one run, and for every tag left open at the end of its paragraph (runs = 0)."""
    from lxml import etree

    root = etree.fromstring(xml_bytes)
    found = []
    for n, p in enumerate(root.iter(f"{{{_W_NS}}}p"), start=1):
        pieces: list[tuple[int, str]] = []
        for run_no, r in enumerate(p.iter(f"{{{_W_NS}}}r")):
            for t in r.iter(f"{{{_W_NS}}}t"):
                if t.text:
                    pieces.append((run_no, t.text))
        text = "".join(t for _, t in pieces)
        if "{" not in text:
            continue
        owner: list[int] = []
        for run_no, t in pieces:
            owner.extend([run_no] * len(t))
        for m in _TAG.finditer(text):
            runs = len(set(owner[m.start() : m.end()]))
            if runs > 1:
                found.append((n, m.group(0), runs))
        rest = _TAG.sub("", text)
        for opener in ("{{", "{%", "{#"):
            if opener in rest:
                found.append((n, rest[rest.index(opener) :][:60], 0))
    return found


_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "true", "false", "none",
            "True", "False", "None", "caller", "varargs", "kwargs"}  # fmt: skip
_UNKNOWN = object()


class _Resolver:
    """Follows a template's names through the sample context, loops included, and records the
    dotted names it cannot find."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.missing: dict[str, int] = {}
        self.used: set[str] = set()

    def resolve(self, node: nodes.Node, scope: Mapping[str, Any]) -> tuple[Any, str | None]:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name], node.name
            if node.name in self.context:
                self.used.add(node.name)
                return self.context[node.name], node.name
            if node.name not in _GLOBALS:
                self.missing.setdefault(node.name, node.lineno)
            return _UNKNOWN, None
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            value, path = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getattr):
                key: Any = node.attr
            elif isinstance(node.arg, nodes.Const):
                key = node.arg.value
            else:
                self.visit(node.arg, scope)
                return _UNKNOWN, None
            if value is _UNKNOWN or path is None:
                return _UNKNOWN, None
            dotted = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
            if isinstance(value, Mapping):
                if key in value:
                    self.used.add(dotted)
                    return value[key], dotted
                self.missing.setdefault(dotted, node.lineno)
                return _UNKNOWN, None
            if isinstance(value, (list, tuple)) and isinstance(key, int):
                return (value[key] if -len(value) <= key < len(value) else _UNKNOWN), dotted
            return _UNKNOWN, None  # str methods, loop.index …
        self.visit(node, scope)
        return _UNKNOWN, None

    def visit(self, node: nodes.Node, scope: Mapping[str, Any]) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Name) and node.ctx != "load":
                return
            self.resolve(node, scope)
            return
        if isinstance(node, nodes.For):
            seq, _ = self.resolve(node.iter, scope)
            inner = dict(scope)
            first = seq[0] if isinstance(seq, (list, tuple)) and seq else _UNKNOWN
            self._bind(node.target, first, inner)
            inner["loop"] = _UNKNOWN
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign):
            value, _ = self.resolve(node.node, scope)
            if isinstance(scope, dict):
                self._bind(node.target, value, scope)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in getattr(node, "args", []):
                inner[arg.name] = _UNKNOWN
            for child in node.body:
                self.visit(child, inner)
            return
        if isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value_node in zip(node.targets, node.values, strict=False):
                value, _ = self.resolve(value_node, scope)
                self._bind(target, value, inner)
            for child in node.body:
                self.visit(child, inner)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _UNKNOWN, scope)


def _docx_parts_xml(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        return [(n, z.read(n)) for n in sorted(names)]


def check_template(
    path: Path,
    context: Mapping[str, Any],
    *,
    kind: str | None = None,
    settings: RenderSettings | None = None,
) -> TemplateCheck:
    """Check a template against a context: syntax, names the context does not provide (with
    the closest existing one), and, for .docx, the tags Word has split across runs."""
    from docxtpl import DocxTemplate

    check = TemplateCheck(template=str(path), kind=kind)
    env = make_environment(settings, text_loader(path.parent))
    ext = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"Không đọc được mẫu {path}: {exc.strerror or exc}.") from exc
    if ext == ".docx":
        try:
            parts = [(part, _split_tags(xml)) for part, xml in _docx_parts_xml(data)]
            tpl = DocxTemplate(io.BytesIO(data))
            tpl.init_docx()
        except _BAD_DOCX as exc:
            raise _not_a_docx(str(path), exc) from exc
        for part, tags in parts:
            for n, tag, runs in tags:
                where = f"đoạn văn {n}" + ("" if part == "word/document.xml" else f" ({part})")
                if runs:
                    check.problems.append(TemplateProblem(
                        "warning", where,
                        f"thẻ {tag} bị Word tách thành {runs} đoạn định dạng (run); định dạng của "
                        "các phần sau phần đầu sẽ mất, và nếu Word chèn thêm ký tự giữa hai dấu ngoặc "
                        "thì thẻ không còn được nhận ra",
                        "bôi đen cả thẻ, xoá đi rồi gõ lại liền một lần (hoặc dán dạng chữ thường: "
                        "Ctrl+Shift+V); không sửa từng chữ bên trong thẻ",
                    ))
                else:
                    check.problems.append(TemplateProblem(
                        "error", where,
                        f"thẻ mở «{tag}» không được đóng trong cùng đoạn văn",
                        "mỗi thẻ {{ … }} hoặc {% … %} phải nằm trọn trong một đoạn văn; thêm dấu "
                        "đóng }} hoặc %} ngay trong đoạn đó",
                    ))

        def lines(xml: str) -> str:  # as docxtpl renders it: line n + 1 = paragraph n
            return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))

        sources = [("đoạn văn", lines(tpl.get_xml()), -1)]
        for uri, where in ((tpl.HEADER_URI, "đầu trang"), (tpl.FOOTER_URI, "chân trang")):
            for _, part in tpl.get_headers_footers(uri):
                sources.append((f"{where}, đoạn văn", lines(tpl.get_part_xml(part)), -1))
    else:
        try:
            sources = [("dòng", data.decode("utf-8-sig"), 0)]
        except UnicodeDecodeError as exc:
            raise TemplateError(f"Mẫu {path} không phải văn bản UTF-8. Hãy lưu lại với mã UTF-8.") from exc
    known = _known_names(context)
    used: set[str] = set()
    for unit, source, offset in sources:
        resolver = _Resolver(context)
        try:
            ast = env.parse(source)
            env.compile(ast)  # unknown filters and tests are reported here
        except TemplateSyntaxError as exc:
            check.problems.append(TemplateProblem(
                "error", f"{unit} {max(1, (exc.lineno or 1) + offset)}",
                syntax_error_text(exc.message or str(exc)),
                "kiểm tra cặp dấu {{ }} / {% %}, các thẻ {%p for %}…{%p endfor %} và "
                "{%tr for %}…{%tr endfor %} phải đi đôi; tên bộ lọc phải có trong danh sách",
            ))
            continue
        except jinja2.TemplateError as exc:
            check.problems.append(TemplateProblem("error", unit, str(exc), "sửa thẻ Jinja"))
            continue
        resolver.visit(ast, {})
        used |= resolver.used
        for name, line in sorted(resolver.missing.items(), key=lambda x: (x[1], x[0])):
            guess = _closest(name, known)
            check.problems.append(TemplateProblem(
                "error", f"{unit} {max(1, line + offset)}",
                f"biến \"{name}\" không có trong dữ liệu văn bản",
                f"đổi thành \"{guess}\"" if guess else "xoá thẻ hoặc dùng một biến có trong danh sách (README)",
            ))
    check.variables = used
    if ext == ".docx":
        for found in unsafe_parts(data):
            check.problems.append(TemplateProblem(
                "error", "tệp mẫu",
                f"nội dung không an toàn cho văn bản chính thức: {found}",
                "xoá phần đó trong Word (hoặc dùng mẫu có sẵn: thidua templates export); thidua "
                "render từ chối mẫu này",
            ))
    if check.ok:
        _trial_render(check, path, context, settings)
    return check


def _trial_render(
    check: TemplateCheck, path: Path, context: Mapping[str, Any], settings: RenderSettings | None
) -> None:
    """Render the template once as ``thidua render`` would (same sandbox, same bounds, same
    function), so that what ``render`` refuses ``check`` refuses too."""
    ref = TemplateRef(check.kind or path.stem, path.name, "user", path, None)
    try:
        render_template(ref, context, user_dir=path.parent, settings=settings)
    except TemplateError as exc:
        check.problems.append(TemplateProblem(
            "error", "thử in",
            f"thidua render từ chối mẫu này: {exc.message}",
            "sửa chỗ được nêu rồi kiểm tra lại",
        ))


def _known_names(context: Mapping[str, Any], prefix: str = "", depth: int = 0) -> list[str]:
    names = []
    for key, value in context.items():
        dotted = f"{prefix}{key}"
        names.append(dotted)
        if depth < 2 and isinstance(value, Mapping):
            names.extend(_known_names(value, dotted + ".", depth + 1))
        if depth < 2 and isinstance(value, list) and value and isinstance(value[0], Mapping):
            names.extend(_known_names(value[0], f"{dotted}[].", depth + 1))
    return names


def _closest(name: str, known: Sequence[str]) -> str | None:
    import difflib

    last = name.rsplit(".", 1)[-1]
    tails = {k.rsplit(".", 1)[-1]: k for k in known}
    exact = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    if exact:
        return exact[0]
    tail = difflib.get_close_matches(last, list(tails), n=1, cutoff=0.75)
    if tail:
        prefix = name.rsplit(".", 1)[0] + "." if "." in name else ""
        return prefix + tail[0]
    return None


# --------------------------------------------------------------------------------------------
# PDF through LibreOffice
# --------------------------------------------------------------------------------------------

# The time one document may take, scaled to its size: LibreOffice lays out about 50 pages a
# second here, and a 900-certificate file (5 MB of document XML) took 40 s on a shared 2-core
# machine; a flat limit either fails the big files or waits minutes for a hung small one.
PDF_TIMEOUT_BASE = 60.0  # seconds: start-up of LibreOffice and a short document
PDF_TIMEOUT_PER_MB = 40.0  # seconds per MB of the document's XML (word/document.xml, unpacked)


def pdf_timeout(docx: Path) -> float:
    """The time limit for converting ``docx``: a base plus a share per MB of its body."""
    try:
        with zipfile.ZipFile(docx) as z:
            size = z.getinfo("word/document.xml").file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        size = docx.stat().st_size if docx.is_file() else 0
    return PDF_TIMEOUT_BASE + PDF_TIMEOUT_PER_MB * size / 1_000_000


def find_soffice() -> str | None:
    """LibreOffice's ``soffice``: $THIDUA_SOFFICE, the PATH, or the usual install folders."""
    env = os.environ.get("THIDUA_SOFFICE")
    if env:
        return env if Path(env).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
        Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "LibreOffice" / "program" / "soffice.exe",
    ]
    for c in candidates:
        if c.is_file():
            return str(c)
    return None


def soffice_missing() -> TemplateError:
    return TemplateError(
        "Không tìm thấy LibreOffice (soffice) để chuyển sang PDF; chưa ghi tệp nào. Hãy cài "
        "LibreOffice (https://www.libreoffice.org; trên Debian/Ubuntu: sudo apt-get install "
        "libreoffice-writer-nogui fonts-liberation2), hoặc đặt biến môi trường THIDUA_SOFFICE trỏ "
        "tới tệp soffice; hoặc chạy lại không có --pdf để chỉ tạo tệp Word."
    )


@dataclass(frozen=True)
class PdfRun:
    """The PDFs written, and the documents LibreOffice could not convert, each with why."""

    written: tuple[Path, ...]
    failed: tuple[tuple[Path, str], ...] = ()


def _run_soffice(cmd: list[str], timeout: float) -> tuple[int | None, str]:
    """Run LibreOffice once; on timeout stop it and every process it started (soffice starts
    soffice.bin), so no hidden LibreOffice is left holding the profile. Returns (exit code or
    None on timeout, the end of its output)."""
    popen_kw: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **popen_kw)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        return None, ""
    return proc.returncode, (output or b"").decode("utf-8", "replace").strip()[-300:]


def convert_to_pdf(
    documents: Sequence[Path],
    out_dir: Path,
    *,
    force: bool = False,
    soffice: str | None = None,
    timeout_for: Callable[[Path], float] = pdf_timeout,
    on_done: Callable[[Path, Path | None], None] | None = None,
) -> PdfRun:
    """Convert .docx files to PDF with LibreOffice headless into ``out_dir`` (same names, .pdf),
    one document per LibreOffice call, each with a time limit scaled to its size
    (:func:`pdf_timeout`).

    A document that fails or runs out of time is reported in :attr:`PdfRun.failed` with the
    reason; the PDFs already made are kept (one slow document no longer costs the others).
    ``on_done(docx, pdf or None)`` hears each document. The runs share one private LibreOffice
    profile (so it works while the clerk has LibreOffice open, and its first-start set-up is
    paid once). Raises :class:`TemplateError` (exit 5) only when LibreOffice is not installed
    or cannot start."""
    exe = soffice or find_soffice()
    if exe is None:
        raise soffice_missing()
    targets = [out_dir / (p.stem + ".pdf") for p in documents]
    refuse_existing(targets, force)
    work = Path(tempfile.mkdtemp(prefix="thidua-pdf-"))
    written: list[Path] = []
    failed: list[tuple[Path, str]] = []
    try:
        profile = work / "profile"
        for src, target in zip(documents, targets, strict=True):
            outdir = work / "out"
            shutil.rmtree(outdir, ignore_errors=True)
            outdir.mkdir()
            cmd = [
                exe,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless", "--norestore", "--nolockcheck",
                "--convert-to", "pdf", "--outdir", str(outdir), str(src),
            ]
            limit = timeout_for(src)
            try:
                code, detail = _run_soffice(cmd, limit)
            except OSError as exc:
                raise TemplateError(f"Không chạy được LibreOffice ({exe}): {exc.strerror or exc}.") from exc
            produced = outdir / (src.stem + ".pdf")
            if code is None:
                failed.append((src, f"quá {int(limit)} giây, đã dừng LibreOffice"))
            elif not produced.is_file():
                failed.append((src, f"LibreOffice không tạo được PDF (mã thoát {code}"
                                    + (f": {detail}" if detail else "") + ")"))
            else:
                write_atomic(target, produced.read_bytes(), force=force)
                written.append(target)
            if on_done:
                on_done(src, target if written and written[-1] == target else None)
        return PdfRun(tuple(written), tuple(failed))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pdf_failure(run: PdfRun) -> TemplateError:
    """The error (exit 5) of a run where some documents did not convert: which, why, and what
    was kept."""
    lines = [f"{src.name}: {why}" for src, why in run.failed]
    kept = ", ".join(p.name for p in run.written) or "không có"
    return TemplateError(
        "Không chuyển được sang PDF: " + "; ".join(lines) + f". Đã giữ các PDF chuyển được ({kept}) "
        "và mọi tệp Word. Hãy mở tệp Word bị lỗi để kiểm tra, hoặc xuất PDF từ Word."
    )
