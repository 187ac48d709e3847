"""Events out: TimelineJS, a static page, an embed, CSV and JSON, from a file and a view."""
