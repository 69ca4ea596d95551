"""create_app(): settings, database, job dispatch, middleware, routers, error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from fiscus.audit.api import router as audit_router
from fiscus.auth.api import router as auth_router
from fiscus.config import Settings, get_settings
from fiscus.core.heap import freeze_startup_heap
from fiscus.db.pipelined import AsyncReads
from fiscus.db.session import make_engine, make_session_factory
from fiscus.diagnostics.api import router as diagnostics_router
from fiscus.diagnostics.api_exports import router as diagnostics_exports_router
from fiscus.diagnostics.api_flux import router as diagnostics_flux_router
from fiscus.diagnostics.api_journal import router as diagnostics_journal_router
from fiscus.diagnostics.api_practice import router as diagnostics_practice_router
from fiscus.diagnostics.views import router as diagnostics_pages
from fiscus.goals.api import router as goals_router
from fiscus.goals.views import router as goal_pages
from fiscus.imports.api import router as imports_router
from fiscus.imports.api_export import router as exports_router
from fiscus.imports.views import router as import_pages
from fiscus.insights.api import router as insights_router
from fiscus.insights.views import router as insight_pages
from fiscus.jobs import runner
from fiscus.jobs.api import router as jobs_router
from fiscus.ledger.api import accounts as accounts_router
from fiscus.ledger.api import categories as categories_router
from fiscus.ledger.api_balances import accounts as account_balances_router
from fiscus.ledger.api_balances import balances as balances_router
from fiscus.ledger.api_bulk import router as bulk_router
from fiscus.ledger.api_rates import router as exchange_rates_router
from fiscus.ledger.api_transactions import router as transactions_router
from fiscus.ledger.views_categories import router as category_pages
from fiscus.ledger.views_transactions import router as transaction_pages
from fiscus.notifications.api import router as notifications_router
from fiscus.recurring.api import router as recurring_router
from fiscus.recurring.views import router as recurring_pages
from fiscus.reports.api import router as reports_router
from fiscus.reports.views import router as report_pages
from fiscus.rules.api import router as rules_router
from fiscus.rules.views import router as rule_pages
from fiscus.tax.api import router as tax_router
from fiscus.tax.api_returns import router as tax_returns_router
from fiscus.tax.views import router as tax_pages
from fiscus.tenancy.api import router as tenancy_router
from fiscus.web import errors, ops
from fiscus.web import views as web_views
from fiscus.web.observability import RequestContextMiddleware, configure_logging
from fiscus.web.rendered import RenderedBodies
from fiscus.web.text_input import refuse_nul
from fiscus.worker.dispatch import CeleryDispatcher, InProcessDispatcher


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    dispatcher = (
        CeleryDispatcher(settings.redis_url) if settings.redis_url else InProcessDispatcher(factory)
    )

    # PostgreSQL: the hottest reads are awaited on the event loop (db/pipelined.py)
    async_reads = AsyncReads(settings.database_url) if engine.dialect.name == "postgresql" else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runner.set_dispatcher(dispatcher)
        if async_reads is not None:
            await async_reads.open()
        freeze_startup_heap()
        yield
        if async_reads is not None:
            await async_reads.close()
        dispatcher.shutdown()
        runner.set_dispatcher(None)
        engine.dispose()

    app = FastAPI(
        title="Fiscus",
        version="0.1.0",
        summary="Books, diagnostics, Australian tax and business finance in one platform.",
        lifespan=lifespan,
        # No U+0000 in any parameter or field: PostgreSQL's text cannot hold it (422).
        dependencies=[Depends(refuse_nul)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.async_reads = async_reads
    app.state.rendered_bodies = RenderedBodies()
    app.state.session_factory = factory
    app.state.dispatcher = dispatcher
    app.add_middleware(RequestContextMiddleware)
    errors.install(app)
    # Most-used first: the router tries routes in order and each costs a few microseconds
    # to try (FastAPI 0.165's included routers), so the balance read paid ~75 µs to get
    # past the routers before it (~12 µs now). Only speed depends on this order: no two
    # routers serve the same method and path (tests/web/test_routing.py).
    routers = (
        accounts_router,  # the account list and the balance: the hottest reads
        transactions_router,
        ops.router,
        account_balances_router,
        balances_router,
        categories_router,
        bulk_router,
        reports_router,
        goals_router,
        auth_router,
        tenancy_router,
        notifications_router,
        exchange_rates_router,
        imports_router,
        exports_router,
        rules_router,
        insights_router,
        recurring_router,
        jobs_router,
        audit_router,
        diagnostics_router,
        diagnostics_journal_router,
        diagnostics_exports_router,
        diagnostics_practice_router,
        diagnostics_flux_router,
        tax_router,
        tax_returns_router,
    )
    for router in routers:
        app.include_router(router)
    app.include_router(transaction_pages)
    app.include_router(category_pages)
    app.include_router(goal_pages)
    app.include_router(report_pages)
    app.include_router(tax_pages)
    for pages in (import_pages, rule_pages, insight_pages, recurring_pages, diagnostics_pages):
        app.include_router(pages)
    web_views.install(app)  # pages, /static and app.state.render_error_page
    return app
