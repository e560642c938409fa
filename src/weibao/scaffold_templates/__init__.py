"""Templates for `weibao new` (data, not code): one YAML file per collection."""
