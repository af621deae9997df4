"""The Jinja environment Word templates are rendered in: sandboxed, with a budget of work, time and size.

Templates are files that get mailed around, so a template is treated as hostile code:
- Jinja's ImmutableSandboxedEnvironment refuses Python internals (`cycler.__init__.__globals__`)
  and changes to the context's lists and dicts;
- every loop step, call, attribute lookup, filter and operator takes a step from a budget, and the
  clock is read every thousand steps, so `{% for i in range(10**5) %}{% for j in range(10**5) %}`
  stops within seconds;
- strings and lists made by operators, filters, calls and `~` may not grow past a size, nor the output.
Each refusal is a `RenderRefused` (a Jinja SecurityError) with a Swedish message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.visitor import NodeTransformer

STEPS = 2_000_000  # loop steps, calls and lookups in one render: the biggest real minutes use ~100 000
SECONDS = 10.0
MAX_RANGE = 10_000
MAX_TEXT = 16 * 1024 * 1024  # characters (or items) of one value a template makes
MAX_OUTPUT = 32 * 1024 * 1024  # characters of one rendered part
MAX_WIDTH = 10_000  # a width, a padding or a count given to a filter or a string method
_ITER = "__kansli_iter__"
_JOIN = "__kansli_join__"
_WIDE = re.compile(r"%[-+ #0]*(?:\*|\d{5,})|%[-+ #0]*\d*\.(?:\*|\d{5,})|[:{][^{}]*\d{5,}")
_SIZED_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "format", "filesizeformat",
                  "random", "round", "int", "float"}
_SIZED_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}


class RenderRefused(SecurityError):
    """The template tried something a template may not do; the message says what, in Swedish."""


def _no_other_templates(name: str) -> str:
    raise RenderRefused(f"mallen försöker hämta en annan fil ({name!r}) med include, import eller extends; "
                        "det tillåts inte")


class _Loops(NodeTransformer):
    """Route every loop's iterable and every `~` through the budget (Jinja compiles them to plain Python)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name(_ITER, "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.Name(_JOIN, "load"), list(node.nodes), [], None, None, lineno=node.lineno)


class Sandbox(ImmutableSandboxedEnvironment):
    """A sandboxed environment that counts its work; make one per document rendered."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *, steps: int = STEPS, seconds: float = SECONDS, max_output: int = MAX_OUTPUT) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, loader=FunctionLoader(_no_other_templates))
        self.max_steps = steps
        self.max_output = max_output
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.steps = 0
        self.globals = {"range": self._range, "dict": dict, "cycler": Cycler, "joiner": Joiner,
                        "namespace": Namespace, _ITER: self._iterate, _JOIN: self._join}
        self.filters = {name: self._counted(name, f) for name, f in self.filters.items()}

    # --- the budget ----------------------------------------------------------------------------
    def tick(self, n: int = 1) -> None:
        """Take *n* steps from the budget; raise RenderRefused when it or the time is spent."""
        before = self.steps
        self.steps += n
        if self.steps > self.max_steps:
            raise RenderRefused(f"mallen gör för mycket arbete (över {self.max_steps:,} steg); "
                                "en loop som aldrig tar slut?".replace(",", " "))
        if before >> 10 != self.steps >> 10 and time.monotonic() > self.deadline:
            raise RenderRefused(f"mallen tog över {self.seconds:.0f} sekunder att fylla i och avbröts")

    def check_size(self, value: Any, what: str = "ett värde") -> Any:
        """Return *value*, or raise RenderRefused when it is a string or collection past MAX_TEXT."""
        if isinstance(value, Sized) and not isinstance(value, range) and len(value) > MAX_TEXT:
            raise RenderRefused(f"mallen gör {what} med över {MAX_TEXT:,} tecken eller element".replace(",", " "))
        return value

    def _range(self, *args: int) -> range:
        out = range(*args)
        if len(out) > MAX_RANGE:
            raise RenderRefused(f"range() med {len(out):,} tal; högst {MAX_RANGE:,} tillåts".replace(",", " "))
        return out

    def _iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item

    def _join(self, *parts: Any) -> str:
        size = sum(len(p) if isinstance(p, str) else 0 for p in parts)
        if size > MAX_TEXT:
            raise RenderRefused(f"mallen gör en text med över {MAX_TEXT:,} tecken".replace(",", " "))
        return markup_join(parts) if self.autoescape else str_join(parts)

    def _widths(self, values: Iterable[Any]) -> None:
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
                raise RenderRefused(f"mallen ber om en bredd eller ett antal på {value}; högst {MAX_WIDTH} tillåts")
            if isinstance(value, str) and _WIDE.search(value):
                raise RenderRefused(f"mallen ber om en formatbredd över {MAX_WIDTH}")

    def _counted(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            if name in _SIZED_FILTERS:
                self._widths([*args, *kwargs.values()])
            return self.check_size(func(*args, **kwargs), f"med filtret {name} ett värde")

        for attr in ("jinja_pass_arg",):  # pass_context / pass_environment markers
            if hasattr(func, attr):
                setattr(counted, attr, getattr(func, attr))
        return counted

    # --- the sandbox's hooks ---------------------------------------------------------------------
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call *__obj* as the sandbox does, counted, with widths and the result's size bounded."""
        __self.tick()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format in a function
        if getattr(method, "__name__", "") in _SIZED_METHODS and isinstance(getattr(method, "__self__", None), str):
            __self._widths([method.__self__, *args, *kwargs.values()])
        return __self.check_size(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Look up *attribute* as the sandbox does, counted."""
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Look up *argument* as the sandbox does, counted."""
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Apply *operator*, refusing results that would be huge before they are made."""
        self.tick()
        if operator == "**" and isinstance(right, int) and isinstance(left, int | float) \
                and right > 64 and abs(left) > 1 and (abs(int(left)).bit_length() or 1) * right > 4096:
            raise RenderRefused(f"mallen räknar ut ett orimligt stort tal ({left!r} ** {right})")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, Sized) and isinstance(times, int) and len(seq) * times > MAX_TEXT:
                    raise RenderRefused(f"mallen gör en text med över {MAX_TEXT:,} tecken".replace(",", " "))
        if operator == "%" and isinstance(left, str):
            self._widths([left])
        if operator == "+" and isinstance(left, Sized) and isinstance(right, Sized) \
                and len(left) + len(right) > MAX_TEXT:
            raise RenderRefused(f"mallen gör en text med över {MAX_TEXT:,} tecken".replace(",", " "))
        return super().call_binop(context, operator, left, right)

    def concat(self, parts: Iterable[str]) -> str:
        """Join the output of a template, a macro or a block, refusing more than max_output characters."""
        out: list[str] = []
        size = 0
        for part in parts:
            size += len(part)
            if size > self.max_output:
                raise RenderRefused(f"mallen gör över {self.max_output:,} tecken".replace(",", " "))
            out.append(part)
        return "".join(out)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        self.source = source  # the part being rendered: an error names the tag on its line
        tree = super()._parse(source, name, filename)
        return _Loops().visit(tree)  # type: ignore[no-any-return]

    source = ""
