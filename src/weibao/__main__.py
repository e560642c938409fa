"""`python -m weibao` is the same as the `weibao` command."""

from weibao.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
