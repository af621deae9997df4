"""The desk's routes: the meeting list, the form, saving, checking, the preview and the documents."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import KansliError, Problem
from . import forms, meetings, security, store
from .preview import Previews

HERE = Path(__file__).parent
OUTPUT_SUFFIXES = (".pdf", ".docx", ".ics")


@dataclass
class Desk:
    """One served folder: where the meetings are, where documents go, and this run's secret token."""

    folder: Path
    out: Path
    token: str = field(default_factory=security.new_token)
    previews: Previews = field(default_factory=Previews)

    def warm_up(self) -> None:
        """Make a small meeting's documents once, so the first real preview does not wait for the engine."""
        try:
            self.previews.warm(meetings.WARM_UP)
        except Exception:  # noqa: BLE001 - only a speed-up (the server may be stopping); a real preview says its errors
            return

    def meeting(self, name: str) -> Path:
        """Return the meeting file *name* in the folder (KansliError for a name that reaches elsewhere)."""
        path = security.confined(self.folder, name)
        if not path.is_file():
            raise KansliError(f"mötet {name!r} finns inte i {self.folder}")
        return path


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(BLOCK_NAMES=forms.BLOCK_NAMES, BLOCKS=forms.BLOCKS, PARTS=forms.PARTS,
                       STATUSES=forms.STATUSES, kind=forms.kind, lines=forms.lines, rest=forms.rest,
                       quote=lambda s: quote(str(s), safe=""),
                       dump=lambda v: json.dumps(v, ensure_ascii=False), human=meetings.human)
    return templates


def create_app(desk: Desk, *, hosts: frozenset[str]) -> Starlette:
    """Return the desk's web app for *desk*, answering only to the Host names *hosts*."""
    templates = _templates()

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("token", desk.token)
        return templates.TemplateResponse(request, template, context, status_code=status)

    def fail(request: Request, exc: KansliError, status: int = 400) -> HTMLResponse:
        if request.headers.get("hx-request"):  # a button's request: say it on the page, where it was pressed
            response = page(request, "meddelande.html", message=str(exc))
            response.headers.update({"HX-Retarget": "#meddelande", "HX-Reswap": "innerHTML"})
            return response
        return page(request, "fel.html", status=status, message=str(exc.message))

    async def home(request: Request) -> HTMLResponse:
        return page(request, "lista.html", folder=desk.folder, items=meetings.listing(desk.folder),
                    today=date.today().isoformat(), tasks=meetings.open_tasks(desk.folder))

    async def new(request: Request) -> Response:
        posted = await request.form()
        day = str(posted.get("datum", "")) or date.today().isoformat()
        organ = str(posted.get("organ", ""))
        try:
            date.fromisoformat(day)
        except ValueError:
            return fail(request, KansliError(f"ogiltigt datum: {day!r}"))
        path = store.create(store.free_name(desk.folder, f"{day}-{meetings.slug(organ)}"),
                            meetings.blank(day, organ))
        return _go(request, f"/m/{quote(path.name)}")

    async def successor(request: Request) -> Response:
        from .. import api

        try:
            path = desk.meeting(request.path_params["name"])
            said = meetings.read(path)[0].get("nästa_möte")
            if not (isinstance(said, dict) and said.get("datum")):
                return fail(request, KansliError(
                    f"{path.name} säger inte när nästa möte är: öppna mötet och fyll i "
                    "”Nästa möte” (datum, tid och plats) längst ned i formuläret först"))
            made = api.successor(path)
        except KansliError as exc:
            return fail(request, exc)
        return _go(request, f"/m/{quote(made.name)}")

    async def show(request: Request) -> Response:
        try:
            path = desk.meeting(request.path_params["name"])
        except KansliError as exc:
            return fail(request, exc, 404)
        raw = path.read_bytes()
        data, problems, stage = meetings.read(path)
        refusal = meetings.unfit(data, problems)
        if refusal:  # the form would show it empty and the first keystroke would save over it
            return page(request, "fel.html", status=422, message=f"{path.name}: {refusal}")
        kept_from = request.query_params.get("fran", "")  # after "Behåll båda": say where each version is
        kept_from = kept_from if kept_from != path.name and kept_from in {p.name for p in desk.folder.glob("*.json")} else ""
        return page(request, "mote.html", **meetings.form_context(path, data, store.version_of(raw), problems, stage),
                    documents=meetings.document_buttons(), kept_from=kept_from)

    async def save(request: Request) -> Response:
        path = desk.meeting(request.path_params["name"])
        posted = await request.form()
        pairs = [(k, str(v)) for k, v in posted.multi_items()]
        data = forms.meeting(pairs)
        saved = store.save(path, data, str(posted.get("@version", "")))
        problems, stage = meetings.check(data, path)
        response = page(request, "status_inner.html", saved=saved, problems=problems, stage=stage, name=path.name,
                        when=datetime.now(), oob_version=None if saved.conflict else saved.version,
                        people=forms.names(data))
        if saved.changed:
            response.headers["HX-Trigger"] = "kansli-saved"
        return response

    async def change(request: Request) -> Response:
        path = desk.meeting(request.path_params["name"])
        posted = await request.form()
        pairs = [(k, str(v)) for k, v in posted.multi_items()]
        data = forms.meeting(pairs)
        op = str(posted.get("@op", ""))
        if op.endswith(":@"):  # the kind of content to add comes from the select beside the button
            op = op[:-1] + str(posted.get("@kind." + op.split(":")[1], ""))
        try:
            focus = forms.apply(data, op)
        except ValueError:
            return PlainTextResponse("Okänd ändring.", status_code=400)
        saved = store.save(path, data, str(posted.get("@version", "")))
        if saved.conflict:
            problems, stage = meetings.check(data, path)
            response = page(request, "status_inner.html", saved=saved, problems=problems, stage=stage,
                            name=path.name, when=datetime.now())
            response.headers.update({"HX-Retarget": "#status", "HX-Reswap": "innerHTML"})
            return response
        problems, stage = meetings.check(data, path)
        response = page(request, "formular.html", **meetings.form_context(path, data, saved.version, problems, stage),
                        focus=focus, oob_status=True, saved=saved, when=datetime.now())
        response.headers["HX-Trigger"] = "kansli-saved"
        return response

    async def keep_both(request: Request) -> Response:
        path = desk.meeting(request.path_params["name"])
        posted = await request.form()
        data = forms.meeting([(k, str(v)) for k, v in posted.multi_items()])
        made = store.keep_both(path, data, datetime.now())
        return _go(request, f"/m/{quote(made.name)}?fran={quote(path.name)}")

    async def preview(request: Request) -> Response:
        path = desk.meeting(request.path_params["name"])
        raw = path.read_bytes()
        version = store.version_of(raw)
        data, problems, stage = meetings.read(path)
        label = stage.label if stage is not None else ""
        made, shown = desk.previews.get(path, version, stage.name if stage is not None else None, label)
        return page(request, "forhand.html", made=made, shown=shown, name=path.name)

    async def page_image(request: Request) -> Response:
        path = desk.meeting(request.path_params["name"])
        png = desk.previews.page(path, request.path_params["version"], int(request.path_params["number"]))
        if png is None:
            return PlainTextResponse("Sidan finns inte.", status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    async def make(request: Request) -> Response:
        from .. import api

        path = desk.meeting(request.path_params["name"])
        posted = await request.form()
        name = request.path_params["document"]
        # what the form shows is what is made: save it first (never over someone else's change)
        saved = store.save(path, forms.meeting([(k, str(v)) for k, v in posted.multi_items()]),
                           str(posted.get("@version", "")))
        oob = None if saved.conflict else saved.version
        if saved.conflict:
            return page(request, "gjort.html", label=meetings.document_label(name), oob_version=None,
                        error="filen har ändrats på disken; läs in den igen eller behåll båda först")
        try:
            item = meetings.registered(name)
            options = meetings.options(item, posted.multi_items())
            built = api.build(name, path, desk.out, options=options)
        except KansliError as exc:
            known = meetings.document_label(name)
            return page(request, "gjort.html", error=meetings.say(exc), label=known, oob_version=oob)
        response = page(request, "gjort.html", built=built, label=item.label, files=[p.name for p in built.outputs],
                        oob_version=oob)
        if saved.changed:
            response.headers["HX-Trigger"] = "kansli-saved"
        return response

    async def output(request: Request) -> Response:
        try:
            target = security.confined(desk.out, request.path_params["file"], suffixes=OUTPUT_SUFFIXES)
        except KansliError as exc:
            return fail(request, exc, 404)
        if not target.is_file():
            return PlainTextResponse("Filen finns inte.", status_code=404)
        return FileResponse(target, content_disposition_type="inline")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # the first preview loads the engine, the templates and the fonts: do it before anyone waits for it
        threading.Thread(target=desk.warm_up, daemon=True).start()
        yield
        desk.previews.close()

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)  # type: ignore[no-any-return]
            except KansliError as exc:
                return fail(request, exc, 404 if exc.__class__.__name__ == "UsageError" else 400)
        return run

    routes = [
        Route("/", guarded(home)),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/ny", guarded(new), methods=["POST"]),
        Route("/m/{name}", guarded(show)),
        Route("/m/{name}/spara", guarded(save), methods=["POST"]),
        Route("/m/{name}/andra", guarded(change), methods=["POST"]),
        Route("/m/{name}/behall-bada", guarded(keep_both), methods=["POST"]),
        Route("/m/{name}/nasta", guarded(successor), methods=["POST"]),
        Route("/m/{name}/forhand", guarded(preview)),
        Route("/m/{name}/sida/{version}/{number:int}.png", guarded(page_image)),
        Route("/m/{name}/gor/{document}", guarded(make), methods=["POST"]),
        Route("/ut/{file}", guarded(output)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(security.Guard, hosts=hosts, token=desk.token)
    return app


def _go(request: Request, url: str) -> Response:
    """Send the browser to *url*: htmx follows HX-Redirect, a plain form post follows 303."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return Response(status_code=303, headers={"Location": url})


def problem_loc(problem: Problem) -> str:
    """Return the dotted field path a problem concerns ("" for the whole file)."""
    return ".".join(str(step) for step in problem.loc)
