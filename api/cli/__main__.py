"""``python -m ris3kg.api.cli``: the ``ris3kg`` command."""

from ris3kg.api.cli.main import main

if __name__ == "__main__":
    main()
