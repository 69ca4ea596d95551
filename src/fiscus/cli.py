"""The `fiscus` command: serve, migrate, worker, create-user, demo, audit verify."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from fiscus.config import get_settings

app = typer.Typer(help="Fiscus: self-hostable, multi-tenant finance.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from fiscus.db.migrate import upgrade

    settings = get_settings()
    upgrade(settings.migration_url, settings.database_app_role)
    typer.echo("database is up to date")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL only)")] = 1,
) -> None:
    """Serve the API and web UI (jobs run in-process unless FISCUS_REDIS_URL is set)."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and not settings.is_postgres:
        raise typer.BadParameter("several workers need PostgreSQL", param_hint="--workers")
    uvicorn.run(
        "fiscus.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        access_log=False,
    )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(help="Parallel job slots")] = 2,
) -> None:
    """Run Celery workers on Redis (needs FISCUS_REDIS_URL)."""
    settings = get_settings()
    if not settings.redis_url:
        typer.echo("FISCUS_REDIS_URL is not set: jobs run inside `fiscus serve`.", err=True)
        raise typer.Exit(2)
    from fiscus.core.heap import freeze_startup_heap
    from fiscus.web.observability import configure_logging
    from fiscus.worker.celery_app import make_celery

    configure_logging(settings.log_level, settings.log_json)
    celery = make_celery(settings.redis_url)
    freeze_startup_heap()  # one process, the job threads in it (core/heap.py)
    celery.worker_main(
        ["worker", f"--concurrency={concurrency}", "--loglevel=INFO", "--pool=threads"]
    )


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="E-mail address (the login)")],
    name: Annotated[str, typer.Option(help="Display name")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create a user with a personal tenant they own."""
    from fiscus.auth import service as auth_service
    from fiscus.core.context import Origin
    from fiscus.core.errors import DomainError
    from fiscus.db.session import make_engine, make_session_factory, unit_of_work

    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    try:
        with unit_of_work(factory) as session:
            issued = auth_service.register(
                session,
                settings,
                email=email,
                password=password,
                name=name,
                origin=Origin(user_agent="fiscus-cli"),
            )
    except DomainError as exc:
        typer.echo(f"error: {exc.field + ': ' if exc.field else ''}{exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"created user {issued.user.id} with tenant {issued.access.tenant.id}")


@app.command()
def demo(
    email: Annotated[str, typer.Option(help="Login of the demo user")] = "demo@fiscus.example",
    password: Annotated[
        str | None, typer.Option(help="Its password (default: a random one, printed)")
    ] = None,
    years: Annotated[int, typer.Option(min=1, max=10, help="Years of history")] = 2,
    seed: Annotated[int, typer.Option(help="Seed of the story: same seed, same books")] = 42,
) -> None:
    """Create a user and tenant with years of realistic household and sole-trader books."""
    import secrets

    from fiscus.core.clock import utcnow
    from fiscus.core.errors import DomainError
    from fiscus.db.session import make_engine, make_session_factory, unit_of_work
    from fiscus.demo.service import create_demo

    settings = get_settings()
    chosen = password or secrets.token_urlsafe(12)
    factory = make_session_factory(make_engine(settings.database_url))
    try:
        with unit_of_work(factory) as session:
            made = create_demo(
                session,
                settings,
                email=email,
                password=chosen,
                years=years,
                seed=seed,
                today=utcnow().date(),
            )
    except DomainError as exc:
        typer.echo(f"error: {exc.field + ': ' if exc.field else ''}{exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"demo tenant {made.tenant_id}: {made.transactions} transactions "
        f"from {made.start} to {made.end}"
    )
    typer.echo(f"sign in as {email}" + ("" if password else f" with password {chosen}"))


@audit_app.command("verify")
def audit_verify(
    tenant: Annotated[str, typer.Option(help="Tenant id to verify")],
) -> None:
    """Recompute a tenant's audit hash chain; exit 1 if it is broken."""
    from fiscus.audit import service as audit_service
    from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
    from fiscus.tenancy.models import Tenant

    try:
        tenant_id = uuid.UUID(tenant)
    except ValueError as exc:
        raise typer.BadParameter("not a UUID", param_hint="--tenant") from exc
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=tenant_id, user_id=None)
        if session.get(Tenant, tenant_id) is None:
            # An unknown id has an empty chain, which would otherwise be reported as valid.
            typer.echo(f"error: no tenant with id {tenant_id}", err=True)
            raise typer.Exit(2)
        report = audit_service.verify_chain(session, tenant_id)
    typer.echo(
        f"valid={str(report.valid).lower()} events_checked={report.events_checked} "
        f"first_broken_seq={report.first_broken_seq}"
        + (f" reason={report.reason!r}" if report.reason else "")
    )
    raise typer.Exit(0 if report.valid else 1)
