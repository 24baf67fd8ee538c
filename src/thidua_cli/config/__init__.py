"""The regulation's settings: ``load`` (the file, read once, with key lines), ``check`` (the one
checker of every section), ``sections`` (their types). ``thidua_cli.regulation`` is the public
face (``load_regulation`` …)."""
