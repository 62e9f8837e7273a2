"""``python -m leadnet``: the same commands as the ``leadnet`` script."""

from leadnet.cli import main

if __name__ == "__main__":
    main()
