"""Word templates are code from a mailed file: sandboxed, bounded in work, time and size, refused by name."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Run, docx_text, snapshot
from docx import Document

from pipeline.defaults import default_template
from pipeline.sandbox import RenderRefused, Sandbox

TEMPLATE = default_template("minnesanteckningar.docx")


def _template(folder: Path, *tags: str, where: str = "body") -> Path:
    """Return a copy of the minutes template with a paragraph per tag added (body, header or title)."""
    doc = Document(str(TEMPLATE))
    for tag in tags:
        if where == "header":
            doc.sections[0].header.add_paragraph(tag)
        elif where == "title":
            doc.core_properties.title = tag
        else:
            doc.add_paragraph(tag)
    path = folder / "mall.docx"
    doc.save(str(path))
    return path


def _minutes(kansli: Callable[..., Run], seed_copy: Path, template: Path, out: Path) -> Run:
    return kansli("minutes", seed_copy, "-t", template, "-o", out, "--no-pdf")


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__['__builtins__'] }}",
    "{{ organ.__class__ }}",
    "{{ self._TemplateReference__context }}",
    "{% set x = cycler.__init__ %}{{ x }}",
    "{{ dict.__base__.__subclasses__() }}",
]


@pytest.mark.parametrize("tag", ESCAPES)
def test_a_template_reaching_python_internals_is_refused(kansli: Callable[..., Run], seed_copy: Path,
                                                          tmp_path: Path, tag: str) -> None:
    template = _template(tmp_path, tag)
    run = _minutes(kansli, seed_copy, template, tmp_path / "ut")
    assert run.code == 1, run.out
    line = run.err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert str(template) in line and "Pythons inre" in line and "tillåts inte" in line
    assert tag.split("}}")[0].split("%}")[0].strip("{% ")[:12] in line  # the tag is named
    assert snapshot(tmp_path / "ut") == {}


def test_the_shell_command_never_runs(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    template = _template(tmp_path, f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}",
                         where="header")
    run = _minutes(kansli, seed_copy, template, tmp_path / "ut")
    assert run.code == 1 and "Pythons inre" in run.err
    assert not marker.exists()


def test_a_hostile_title_property_is_sandboxed_too(kansli: Callable[..., Run], seed_copy: Path,
                                                   tmp_path: Path) -> None:
    run = _minutes(kansli, seed_copy, _template(tmp_path, "{{ cycler.__init__.__globals__ }}", where="title"),
                   tmp_path / "ut")
    assert run.code == 1 and "Pythons inre" in run.err


RUNAWAY = [
    ("{% for i in range(10**9) %}x{% endfor %}", "range()"),
    ("{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}", "för mycket arbete"),
    ("{% for a in deltagare %}{% for b in range(9999) %}{% for c in range(999) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "för mycket arbete"),
    ("{{ 'x' * 10**9 }}", "tecken"),
    ("{{ [0] * 10**9 }}", "tecken"),
    ("{{ 'x'|center(10**9) }}", "bredd"),
    ("{{ '%0999999999d' % 1 }}", "formatbredd"),
    ("{{ '{:>999999999}'.format(1) }}", "formatbredd"),
    ("{{ 'a'.ljust(999999999) }}", "bredd"),
    ("{{ 7 ** 99999999 }}", "stort tal"),
    ("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
     "tecken"),
    ("{{ 'ab'" + "|replace('a', 'aaaaaaaaaa')" * 9 + " }}", "tecken"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "sig själv"),
    ("{% include 'annan.docx' %}", "annan fil"),
    ("{{ lipsum(10**6) }}", "lipsum"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
]


@pytest.mark.parametrize(("tag", "said"), RUNAWAY, ids=[t[:40] for t, _ in RUNAWAY])
def test_runaway_templates_are_stopped_with_a_message(kansli: Callable[..., Run], seed_copy: Path,
                                                      tmp_path: Path, tag: str, said: str) -> None:
    template = _template(tmp_path, tag)
    run = _minutes(kansli, seed_copy, template, tmp_path / "ut")
    assert run.code == 1
    assert said in run.err and str(template) in run.err and "Traceback" not in run.err
    assert run.err.count("\n") == 1 and "internt fel" not in run.err


def test_a_fan_out_of_macro_calls_is_stopped_by_the_clock() -> None:
    env = Sandbox(seconds=1)  # 2**40 calls with no loop at all: a macro call costs ~40 µs, the clock ends it
    template = env.from_string("{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(40) }}")
    with pytest.raises(RenderRefused, match="sekunder"):
        template.render()


def test_the_clock_stops_a_render_that_stays_within_the_steps() -> None:
    env = Sandbox(seconds=0.0)
    template = env.from_string("{% for i in range(5000) %}{{ i }}{% endfor %}")
    with pytest.raises(RenderRefused, match="sekunder"):
        template.render()


def test_the_output_size_is_bounded() -> None:
    env = Sandbox(max_output=1000)
    template = env.from_string("{% for i in range(2000) %}x{% endfor %}")
    with pytest.raises(RenderRefused, match="tecken"):
        template.render()


def test_ordinary_template_code_still_works(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    tags = ["Antal: {{ deltagare|length }} {{ 'a' ~ 'b' }} {{ '%5.1f' % 2.5 }} {{ 'ok'|upper|center(8) }}",
            "{% for d in deltagare %}{{ loop.index }}:{{ d.namn }};{% endfor %}",
            "{% set ns = namespace(n=0) %}{% for i in range(10) %}{% set ns.n = ns.n + i %}{% endfor %}S{{ ns.n }}",
            "{% macro hej(x) %}H{{ x }}{% endmacro %}{{ hej(organ) }} {{ '{:>6}'.format('h') }}|"]
    run = _minutes(kansli, seed_copy, _template(tmp_path, *tags), tmp_path / "ut")
    assert run.code == 0, run.err
    text = docx_text(tmp_path / "ut" / f"{seed_copy.stem}.docx")
    count = len(json.loads(seed_copy.read_text(encoding="utf-8"))["deltagare"])
    assert f"Antal: {count} ab   2.5    OK   " in text.replace("\n", " ")
    assert "1:" in text and "S45" in text and "HSödertörns" in text and "     h|" in text


def test_the_default_templates_still_render(kansli: Callable[..., Run], seed_copy: Path, tmp_path: Path) -> None:
    run = kansli("minutes", seed_copy, "-o", tmp_path / "ut", "--no-pdf")
    assert run.code == 0, run.err
    assert "Beslut" in docx_text(tmp_path / "ut" / f"{seed_copy.stem}.docx")


def test_the_cli_stops_an_endless_loop_within_seconds(seed_copy: Path, tmp_path: Path) -> None:
    # As a user runs it: a separate process, which must end by itself (the timeout is a safety net only).
    template = _template(tmp_path, "{% for i in range(99999) %}{% for j in range(99999) %}{% for k in range(99) %}"
                                   "{% endfor %}{% endfor %}{% endfor %}")
    command = [sys.executable, "-c", "import sys; from pipeline.cli import main; sys.exit(main())"]
    done = subprocess.run([*command, "minutes", str(seed_copy), "-t", str(template), "-o", str(tmp_path / "ut"),
                           "--no-pdf"], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 1 and ("range()" in done.stderr or "för mycket arbete" in done.stderr)
