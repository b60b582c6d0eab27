"""A three-command typer app whose commands return at once: the floor any typer CLI pays."""

import typer

app = typer.Typer(add_completion=False)


@app.command()
def first(path: str = "") -> None:
    """Do nothing."""


@app.command()
def second() -> None:
    """Do nothing."""


@app.command()
def third() -> None:
    """Do nothing."""


if __name__ == "__main__":
    app()
