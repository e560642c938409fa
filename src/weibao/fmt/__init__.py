"""One canonical form for every record file (`weibao fmt`), shared by everything that writes records.

canonical.py holds the rules and a fast emitter for plain values (import writes thousands of
records with it); roundtrip.py applies the same rules to existing files through ruamel.yaml so
comments survive. Tests check the two agree: formatting an emitted record changes nothing.
"""
