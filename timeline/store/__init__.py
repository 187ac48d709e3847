"""The event store: Parquet tables of a dataset (write.py, io.py) queried through Ibis on
DuckDB or Spark (query.py, engine.py). Not yet wired into the page or the command line."""
