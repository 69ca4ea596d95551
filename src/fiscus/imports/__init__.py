"""Bank-file import: upload, detection, mapping, preview, commit as a job, undo; export."""
