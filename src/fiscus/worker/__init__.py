"""Job runners: in-process threads by default, Celery on Redis when configured."""
