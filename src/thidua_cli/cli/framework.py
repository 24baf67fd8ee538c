"""The framework's part of the command line, in Vietnamese (issue 13).

Typer 0.29 vendors Click under ``typer._click`` without its gettext calls ("Usage: ", "Show
this message and exit.", "Error: …" are plain English literals) and renders argument types as
``<list[Path]>``. Rather than patching those texts, thidua uses Click's documented extension
points: its own command and group classes (``cls=``) whose ``format_usage`` and
``format_options`` write the help from the parameters themselves, a help formatter
(``Context.formatter_class``) and :func:`usage_error_message`, which words a usage error from
the exception's own fields (the option, the parameter, the possible options).
"""

from __future__ import annotations

import re
from typing import Any

from typer import _click as click
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "Hiện hướng dẫn này rồi thoát."
OPTIONS_METAVAR = "[TUỲ_CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM_SỐ]..."
USAGE = "Cách dùng: "


# Click wraps at hyphens too ("kiem-" / "phieu", "de-" / "xuat.xlsx"): a file or command name
# the clerk copies must stay whole, so hyphens are held as U+2011 while a text is wrapped; and an
# option stays on the line of its value ("-o" / "ket-qua.xlsx"), held by U+00A0 (textwrap breaks
# at ASCII whitespace only).
_HELD_HYPHEN = "\u2011"
_HELD_SPACE = "\u00a0"
_OPTION_AND_VALUE = re.compile(r"(?<!\S)(--?[a-z][\w-]*) (?=[^\s-])")


_QUOTED = re.compile(r'"[^"\n]*"')


def _hold(text: str) -> str:
    text = _QUOTED.sub(lambda m: m[0].replace(" ", _HELD_SPACE), text)  # "Trần Văn Giám" whole
    return _OPTION_AND_VALUE.sub(lambda m: m[1] + _HELD_SPACE, text).replace("-", _HELD_HYPHEN)


class ViFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(_hold(text))
        self._release_hyphens(start)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        start = len(self.buffer)
        held = [(_hold(first), _hold(second)) for first, second in rows]
        super().write_dl(held, col_max, col_spacing)
        self._release_hyphens(start)

    def _release_hyphens(self, start: int) -> None:
        self.buffer[start:] = [part.replace(_HELD_HYPHEN, "-").replace(_HELD_SPACE, " ")
                               for part in self.buffer[start:]]


class ViContext(click.Context):
    formatter_class = ViFormatter


def _argument_name(param: Any) -> str:
    """An argument's name as the clerk reads it (its metavar without a "..." of its own)."""
    return (param.metavar or (param.name or "").upper()).rstrip(".")


def _usage_pieces(command: click.Command, ctx: click.Context) -> list[str]:
    pieces = [OPTIONS_METAVAR]
    for param in command.get_params(ctx):
        if param.param_type_name != "argument":
            continue
        name = _argument_name(param)
        name = name if param.required else f"[{name}]"
        pieces.append(name + ("..." if param.nargs != 1 else ""))
    return pieces


def _option_row(param: Any) -> tuple[str, str]:
    opts = sorted(param.opts, key=lambda o: (len(o) > 2, o))  # -f before --force
    names = ", ".join(opts)
    if not getattr(param, "is_flag", False):
        names += " " + (param.metavar or "GIÁ_TRỊ")
    help_text = HELP_TEXT if param.name == "help" else (param.help or "")
    default = param.default
    shown = (param.show_default and default not in (None, False, "", ())
             and not getattr(param, "is_flag", False) and not callable(default))
    if shown:
        help_text += f" (mặc định: {default})"
    if param.required:
        help_text += " (bắt buộc)"
    return names, help_text.strip()


def _argument_row(param: Any) -> tuple[str, str]:
    name = _argument_name(param) + ("..." if param.nargs != 1 else "")
    help_text = getattr(param, "help", None) or ""
    if param.required:
        help_text += " (bắt buộc)"
    return name, help_text.strip()


def _format_params(command: click.Command, ctx: click.Context,
                   formatter: click.HelpFormatter) -> None:
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            arguments.append(_argument_row(param))
        else:
            options.append(_option_row(param))
    if arguments:
        with formatter.section("Tham số"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Tuỳ chọn"):
            formatter.write_dl(options)


def _bool_help(option: Any) -> Any:
    """The help flag with a bool default. Typer coerces every parameter's value through a
    pydantic adapter unless it is already a bool; the help flag's default is None, so merely
    parsing a group's options (``thidua score --help`` parses the root group's) imported pydantic
    (≈ 0.06 s, 3 MB) for a flag that is only ever true or false."""
    if option is not None and option.default is None:
        option.default = False
    return option


class ViCommand(TyperCommand):
    context_class = ViContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Click words extra arguments in English only ("Got unexpected extra argument (B)"),
        # with no field to read them from: let them through, then refuse them here.
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if ctx.args and not allowed and not ctx.resilient_parsing:
            raise UsageError("Thừa tham số: " + " ".join(ctx.args) + ". Một tên có dấu cách (tệp, "
                             "thư mục, họ tên) thì đặt trong ngoặc kép, ví dụ \"nộp về/khoa "
                             "nội.xlsx\".", ctx=ctx)
        return rest

    def get_help_option(self, ctx: click.Context) -> Any:
        return _bool_help(super().get_help_option(ctx))

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(self, ctx)))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_params(self, ctx, formatter)


class ViGroup(TyperGroup):
    context_class = ViContext

    def get_help_option(self, ctx: click.Context) -> Any:
        return _bool_help(super().get_help_option(ctx))

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, f"{OPTIONS_METAVAR} {SUBCOMMAND_METAVAR}")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_params(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            rows.append((name, cmd.get_short_help_str(limit=formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


def usage_error_message(exc: UsageError) -> str:
    """The usage error in Vietnamese, from the exception's fields."""
    if isinstance(exc, NoSuchOption):
        text = f"Không có tuỳ chọn {exc.option_name}."
        if exc.possibilities:
            text += " Có phải: " + ", ".join(sorted(exc.possibilities)) + "?"
        return text
    if isinstance(exc, MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return f"Thiếu {_argument_name(param)}."
        if param is not None:
            return f"Thiếu tuỳ chọn {' / '.join(param.opts)}."
        return "Thiếu một tham số bắt buộc."
    if isinstance(exc, BadOptionUsage):
        return f"Tuỳ chọn {exc.option_name} cần một giá trị đi kèm (hoặc giá trị không hợp lệ)."
    if isinstance(exc, BadParameter):
        param = exc.param
        where = " / ".join(param.opts) if param is not None and param.opts else "tham số"
        return f"Giá trị của {where} không hợp lệ: {exc.message}"
    ctx = exc.ctx
    if ctx is not None and isinstance(ctx.command, TyperGroup):
        # Click's own wording of it ("No such command …") is English: say it from the group.
        return ("Không có lệnh này, hoặc thiếu lệnh. Các lệnh của "
                f"{ctx.command_path}: " + ", ".join(ctx.command.list_commands(ctx)) + ".")
    if exc.message.startswith("Thừa tham số"):
        return exc.message
    return f"Sai cách dùng: {exc.message}"
