"""Server-rendered pages (Jinja2 + HTMX), error rendering and HTTP plumbing."""
