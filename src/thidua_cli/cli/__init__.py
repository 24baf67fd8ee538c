"""The Typer application: the only place that prints and exits. One module per command."""
