"""Every command block of the READMEs (README.md, examples/README.md) runs, as written, with the
installed ``thidua`` (issue 13).

The READMEs are read, not a list kept here, so a chapter added later (forms, collect, kpi …) is
checked the day it is written. Blocks are found by their fences:

* a ```bash (or ```sh, ```shell) block, or a block without a language whose lines start with
  ``thidua``, is a list of commands: each command (one line, or lines joined by a trailing ``\\``)
  runs in its own fresh copy of the repository's ``examples/`` folder, from the folder above it
  (where the quick start leaves the clerk: ``thidua score examples/quy-4-2026.xlsx``), through
  ``bash`` with the virtual environment's ``bin`` first on PATH, so ``thidua`` is the installed
  console script and globs and ``> tệp`` redirections work as typed;
* a ```text (or ```console, or unmarked) block whose first line starts with ``$ `` is a terminal
  transcript: its commands run one after another in one copy, and what the README shows under a
  command is compared with what the command printed (stdout and stderr together, as a terminal
  shows them, trailing spaces dropped). A line of ``…`` alone (table borders and spaces aside)
  stands for any number of lines left out; ``$ echo $?`` followed by a number is the exit code;
  ``$ cd FOLDER`` moves the later commands of the transcript into that folder of the copy.

An HTML comment just above the fence (invisible in the rendered README) adjusts a block:

* ``<!-- not-run: lý do -->``: not run (a command needing what the test cannot have, such as a
  network install); the reason is required;
* ``<!-- run: exit=1 -->`` (every command) or ``exit=1,0`` (command by command): the expected
  exit codes, 0 when not said; ``in-order``: the commands are one sequence in one copy (the
  second uses what the first wrote); ``setup="thidua awards …"``: a command run first in each
  copy (it must succeed); ``columns=110``: the terminal width (100 when not said).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = (ROOT / "README.md", ROOT / "examples" / "README.md")
EXAMPLES = ROOT / "examples"
COMMAND_LANGS = {"bash", "sh", "shell"}
TRANSCRIPT_LANGS = {"text", "console", ""}
# What a clerk's earlier runs may have left in a checkout's examples/: never part of a fresh copy.
LEFT_BY_RUNS = ("*.ket-qua.xlsx", "*.kiem-tra.xlsx", "*.de-xuat.*", "*.docx", "*.pdf", "*.html",
                "__pycache__")
ELISION = re.compile(r"^[\s│┃|…]*…[\s│┃|…]*$")


@dataclass
class Block:
    file: str
    line: int  # of the opening fence, 1-based
    kind: str  # "commands" | "transcript"
    body: list[str]
    options: dict[str, str] = field(default_factory=dict)
    not_run: str | None = None

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def _marker(lines: list[str], fence: int) -> str | None:
    """The HTML comment right above a fence (blank lines between allowed), or None."""
    i = fence - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    if i >= 0:
        m = re.fullmatch(r"\s*<!--\s*((?:not-run|run)\b.*?)\s*-->\s*", lines[i])
        if m:
            return m.group(1)
    return None


def _parse_options(text: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for word in shlex.split(text):
        key, _, value = word.partition("=")
        options[key] = value
    return options


def readme_blocks(text: str, file: str = "README.md") -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = re.fullmatch(r"```(\w*)\s*", lines[i])
        if not opening:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        lang, body = opening.group(1), lines[i + 1:end]
        first = next((ln.strip() for ln in body if ln.strip()), "")
        kind = None
        if lang in COMMAND_LANGS or (lang == "" and first.startswith("thidua ")):
            kind = "commands"
        elif lang in TRANSCRIPT_LANGS and first.startswith("$ "):
            kind = "transcript"
        if kind is not None:
            block = Block(file=file, line=i + 1, kind=kind, body=body)
            marker = _marker(lines, i)
            if marker is not None and marker.startswith("not-run"):
                block.not_run = marker.partition(":")[2].strip()
            elif marker is not None:
                block.options = _parse_options(marker.partition(":")[2])
            blocks.append(block)
        i = end + 1
    return blocks


def commands_of(block: Block) -> list[str]:
    """The block's commands: comment and blank lines dropped, ``\\`` continuations joined."""
    out: list[str] = []
    pending = ""
    for raw in block.body:
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        out.append(pending + line)
        pending = ""
    return out


BLOCKS = [block for readme in READMES
          for block in readme_blocks(readme.read_text(encoding="utf-8"),
                                     readme.relative_to(ROOT).as_posix())]
RUNNABLE = [b for b in BLOCKS if b.not_run is None]


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def _env(columns: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS", "LINES")}
    bindir = str(Path(sys.executable).parent)
    env.update(PATH=bindir + os.pathsep + env.get("PATH", ""), NO_COLOR="1",
               COLUMNS=str(columns), PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8",
               LC_ALL="C.UTF-8", TERM="dumb")
    return env


def _run(command: str, cwd: Path, columns: int) -> subprocess.CompletedProcess[str]:
    # stderr joined to stdout, both unbuffered: the order a terminal shows.
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=_env(columns), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
                          check=False)


def _fresh_copy(into: Path) -> Path:
    """A folder holding a clean copy of examples/, as a fresh checkout has it."""
    into.mkdir(parents=True)
    shutil.copytree(EXAMPLES, into / "examples", ignore=shutil.ignore_patterns(*LEFT_BY_RUNS))
    return into


def _prepared(block: Block, base: Path) -> Path:
    """The block's starting state: a fresh copy, with its setup command run."""
    ready = _fresh_copy(base / "ready")
    setup = block.options.get("setup")
    if setup:
        done = _run(setup, ready, 100)
        assert done.returncode == 0, f"{block.id}: setup `{setup}` failed:\n{done.stdout}"
    return ready


def _expected_codes(block: Block, count: int) -> list[int]:
    said = block.options.get("exit", "0")
    codes = [int(c) for c in said.split(",")]
    if len(codes) == 1:
        return codes * count
    assert len(codes) == count, f"{block.id}: exit={said} names {len(codes)} codes for {count} commands"
    return codes


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


def test_the_readme_has_command_blocks_and_transcripts() -> None:
    # A guard on the discovery itself: without it a broken parser would pass every test below.
    kinds = [b.kind for b in RUNNABLE]
    assert kinds.count("commands") >= 8 and kinds.count("transcript") >= 2, BLOCKS
    assert any("thidua validate" in " ".join(b.body) for b in RUNNABLE)


def test_a_block_left_out_says_why() -> None:
    for block in BLOCKS:
        if block.not_run is not None:
            assert len(block.not_run) > 10, f"{block.id}: <!-- not-run: … --> needs a reason"


@pytest.mark.slow
@pytest.mark.parametrize("block", [b for b in RUNNABLE if b.kind == "commands"],
                         ids=lambda b: b.id)
def test_every_readme_command_runs(block: Block, tmp_path: Path) -> None:
    commands = commands_of(block)
    assert commands, f"{block.id}: an empty command block"
    codes = _expected_codes(block, len(commands))
    columns = int(block.options.get("columns", "100"))
    ready = _prepared(block, tmp_path)
    in_order = "in-order" in block.options
    for n, (command, code) in enumerate(zip(commands, codes, strict=True)):
        cwd = ready if in_order else tmp_path / f"c{n}"
        if not in_order:
            shutil.copytree(ready, cwd)
        done = _run(command, cwd, columns)
        assert done.returncode == code, (
            f"{block.id}: `{command}` ended with {done.returncode}, the README expects {code}:\n"
            f"{done.stdout}")
        assert "Traceback" not in done.stdout, done.stdout


def _transcript_steps(block: Block) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in block.body:
        if line.startswith("$ "):
            steps.append((line[2:].strip(), []))
        else:
            assert steps, f"{block.id}: a transcript starts with `$ command`"
            steps[-1][1].append(line.rstrip())
    return steps


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual`` line by line, an elision line standing for any lines."""
    pattern = "".join("(?:.*\n)*?" if ELISION.match(line) else re.escape(line) + "\n"
                      for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


@pytest.mark.slow
@pytest.mark.parametrize("block", [b for b in RUNNABLE if b.kind == "transcript"],
                         ids=lambda b: b.id)
def test_every_readme_transcript_is_real_output(block: Block, tmp_path: Path) -> None:
    ready = _prepared(block, tmp_path)
    columns = int(block.options.get("columns", "100"))
    steps = _transcript_steps(block)
    last_code: int | None = None
    cwd = ready
    for n, (command, shown) in enumerate(steps):
        while shown and not shown[-1]:
            shown.pop()
        if command == "echo $?":
            assert shown == [str(last_code)], f"{block.id}: exit code {last_code}, README {shown}"
            continue
        if re.fullmatch(r"cd [\w./-]+", command):  # "$ cd examples/thu-nhap": later steps there
            cwd = (cwd / command[3:]).resolve()
            assert cwd.is_dir() and not shown, f"{block.id}: `{command}`"
            continue
        done = _run(command, cwd, columns)
        last_code = done.returncode
        actual = [line.rstrip() for line in done.stdout.splitlines()]
        while actual and not actual[-1]:
            actual.pop()
        assert _matches(shown, actual), (
            f"{block.id}: `{command}` printed (COLUMNS={columns}) something else than the README "
            "shows; run it and paste the output:\n" + "\n".join(actual))
        if n + 1 == len(steps) or steps[n + 1][0] != "echo $?":
            assert last_code == int(block.options.get("exit", "0")), (
                f"{block.id}: `{command}` ended with {last_code}")


# ---------------------------------------------------------------------------------------------
# The runner itself
# ---------------------------------------------------------------------------------------------


def test_discovery_reads_markers_commands_and_transcripts() -> None:
    text = ("intro\n```bash\nthidua a \\\n  --b   # c\n# only a comment\n\nthidua d\n```\n"
            "<!-- not-run: cần mạng để cài đặt -->\n\n```bash\npip install x\n```\n"
            "<!-- run: exit=1,0 in-order setup=\"thidua e f\" columns=110 -->\n```\nthidua g\n```\n"
            "```text\n$ thidua h\nout\n```\n```text\nKhông phải lệnh\n```\n```toml\n[a]\n```\n")
    blocks = readme_blocks(text)
    assert [(b.line, b.kind) for b in blocks] == [(2, "commands"), (11, "commands"),
                                                  (15, "commands"), (18, "transcript")]
    assert commands_of(blocks[0]) == ["thidua a --b   # c", "thidua d"]
    assert blocks[1].not_run == "cần mạng để cài đặt"
    assert blocks[2].options == {"exit": "1,0", "in-order": "", "setup": "thidua e f",
                                 "columns": "110"}


def test_elision_stands_for_any_lines_and_nothing_else() -> None:
    shown = ["top", "│  …   │ …  │", "end"]
    assert _matches(shown, ["top", "a", "b", "end"])
    assert _matches(shown, ["top", "end"])
    assert not _matches(shown, ["top", "a", "changed end"])
    assert not _matches(["x", "y"], ["x", "y", "z"])  # lines the README does not show
