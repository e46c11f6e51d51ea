"""`caseworker demo`: placeholder until its issue work lands."""


def register(subparsers) -> None:  # noqa: ANN001
    pass
