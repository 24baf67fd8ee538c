"""``thidua``: the command-line entry point and the one boundary that maps errors to exits.

Heavy libraries (pandas, openpyxl, xlsxwriter, docxtpl) are imported inside the commands that
need them so that ``thidua --help`` starts fast.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Any

import typer
from typer import _click as click

from thidua_cli import __version__
from thidua_cli.cli import invocation
from thidua_cli.cli.framework import ViGroup
from thidua_cli.errors import ExitCode, ThiduaError

# The commands in the order of the work (issue 13): set up, check what arrives, score, decide
# the titles, keep the history, print the documents, adapt their templates. A new command
# takes its place here; one not listed comes last.
WORK_ORDER = ("init", "forms", "collect", "validate", "kpi", "score", "income", "awards",
              "initiatives", "publish", "ledger", "render", "cluster", "templates")


class _InWorkOrder(ViGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(WORK_ORDER)}
        return sorted(names, key=lambda n: rank.get(n, len(rank)))


app = typer.Typer(
    name="thidua",
    cls=_InWorkOrder,
    help=(
        "Công cụ thi đua – khen thưởng cho bệnh viện: kiểm tra bảng điểm các khoa/phòng, "
        "chấm điểm và xếp loại, xét danh hiệu, in quyết định.\n\n"
        "Ví dụ: thidua score quy-4-2026.xlsx"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"thidua {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Hiện đầy đủ traceback khi có lỗi (dành cho người phát triển)."
    ),
) -> None:
    """Công cụ thi đua – khen thưởng cho bệnh viện."""


def _register() -> None:
    """Add the commands to the app, once per process. Registering again on every call (tests
    and embedding programs call main many times) piled up copies of every command, and Typer
    rebuilt them all on each run: each call slower than the last."""
    if app.registered_commands or app.registered_groups:
        return
    # Each command module only imports typer and light modules at import time.
    from thidua_cli.cli import awards as awards_cmd
    from thidua_cli.cli import collect as collect_cmd
    from thidua_cli.cli import forms as forms_cmd
    from thidua_cli.cli import income as income_cmd
    from thidua_cli.cli import init as init_cmd
    from thidua_cli.cli import initiatives as initiatives_cmd
    from thidua_cli.cli import kpi as kpi_cmd
    from thidua_cli.cli import ledger as ledger_cmd
    from thidua_cli.cli import publish as publish_cmd
    from thidua_cli.cli import render as render_cmd
    from thidua_cli.cli import score as score_cmd
    from thidua_cli.cli import templates as templates_cmd
    from thidua_cli.cli import validate as validate_cmd

    # Registered in the order of the work; listed so by _InWorkOrder (groups and commands).
    init_cmd.register(app)
    forms_cmd.register(app)
    collect_cmd.register(app)
    validate_cmd.register(app)
    kpi_cmd.register(app)
    score_cmd.register(app)
    awards_cmd.register(app)
    ledger_cmd.register(app)
    initiatives_cmd.register(app)
    publish_cmd.register(app)
    render_cmd.register(app)
    templates_cmd.register(app)
    income_cmd.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit with the documented code. ``--debug`` re-raises instead."""
    args = list(sys.argv[1:] if argv is None else argv)
    invocation.record(args)
    debug = "--debug" in args
    if threading.current_thread() is not threading.main_thread():
        _run(args, debug)  # an embedding program's thread: signals stay the program's own
        return
    # Ctrl+C and SIGTERM both raise Stopped where the program is (typer would turn a
    # KeyboardInterrupt into a silent exit 130), so temporary files are removed on the way out.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _run(args, debug)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Stopped(BaseException):
    """SIGINT or SIGTERM, raised where the program is, so every ``finally`` runs; exits
    128 + the signal's number (130, 143) as a shell would report it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def _show_usage_error(exc: Exception) -> None:
    """A usage error in Vietnamese (cli/framework): the usage line, where to find the help,
    what was wrong; a command run without its arguments shows its help."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    from thidua_cli.cli.framework import usage_error_message

    if isinstance(exc, NoArgsIsHelpError) and exc.ctx is not None:
        print(exc.ctx.get_help(), file=sys.stderr)
        return
    if isinstance(exc, UsageError):
        ctx = exc.ctx
        if ctx is not None:
            print(ctx.get_usage(), file=sys.stderr)
            print(f"Xem hướng dẫn: {ctx.command_path} -h\n", file=sys.stderr)
        print(f"Lỗi: {usage_error_message(exc)}", file=sys.stderr)
        return
    print(f"Lỗi: {exc}", file=sys.stderr)


class _ClosedPipeSafe:
    """sys.stdout that goes quiet when the reader has gone (``thidua … | head``): the rest of
    the output is dropped and the command ends with its own exit code, never 1 and never a
    traceback (issue 13). Everything else is the wrapped stream's."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                return int(self._stream.write(text) or 0)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        self.closed_pipe = True
        # The interpreter flushes stdout once more at exit: point its descriptor at devnull
        # so that this flush does not print "Exception ignored … BrokenPipeError".
        try:
            fd = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _run(args: list[str], debug: bool) -> None:
    _register()
    original = sys.stdout
    sys.stdout = _ClosedPipeSafe(original)
    try:
        _dispatch(args, debug)
    finally:
        if sys.stdout is not original and isinstance(sys.stdout, _ClosedPipeSafe):
            sys.stdout = original


def _dispatch(args: list[str], debug: bool) -> None:
    try:
        rv = app(args=args, prog_name="thidua", standalone_mode=False)
    except ThiduaError as exc:
        if debug:
            raise
        from rich.text import Text

        from thidua_cli.cli.console import err

        # The message may quote sheet text: print it as data, never as Rich markup.
        err().print(Text("Lỗi: ", style="bold red") + Text(exc.message))
        sys.exit(int(exc.exit_code))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # usage errors from the option parser itself
        _show_usage_error(exc)
        sys.exit(int(ExitCode.USAGE))
    except (KeyboardInterrupt, typer.Abort, Stopped) as exc:
        if debug:
            raise
        # Every write is atomic: the file being written when the signal came was discarded.
        from thidua_cli.io.atomic import WRITTEN

        kept = ", ".join(str(p) for p in WRITTEN)
        print("Đã dừng; " + (f"chỉ giữ các tệp đã ghi xong: {kept}." if kept
                               else "không ghi tệp nào."), file=sys.stderr)
        sys.exit(exc.code if isinstance(exc, Stopped) else 130)
    except Exception:
        if debug:
            raise
        log = Path(tempfile.gettempdir()) / "thidua-loi.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            log = Path("(không ghi được)")
        print(
            "Lỗi: thidua gặp sự cố ngoài dự kiến (lỗi của chương trình, không phải của dữ liệu). "
            f"Chi tiết đã ghi vào {log}; chạy lại với --debug để xem, và gửi cho người phát triển.",
            file=sys.stderr,
        )
        sys.exit(int(ExitCode.INTERNAL))
    sys.exit(int(rv) if isinstance(rv, int) else 0)
