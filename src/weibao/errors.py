"""Tool errors, as opposed to data errors (which are values in a Result).

Who raises what:
- UsageError: the command was used wrong (exit 2): unknown path, bad option value.
- ConfigError: the repository configuration file is invalid (exit 2, it is not a record).
A crash of any other kind is a bug in weibao, never a data error.
"""


class WeibaoError(Exception):
    """Base class of the errors weibao raises on purpose."""


class UsageError(WeibaoError):
    """The command line asked for something impossible."""


class ConfigError(WeibaoError):
    """weibao.yaml is missing a required value or has a wrong one."""
