"""The page tests of rules use the web-shell fixtures (a migrated SQLite file per module)."""

from tests.web.conftest import account, page_client, signed_in, web_app  # noqa: F401
