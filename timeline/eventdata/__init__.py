"""Event data as analysts keep it: typed, streaming row readers and the rules for actors.

Pure functions over bytes and text: `gdelt.read_gdelt` and `polecat.read_polecat` yield
typed rows or located row problems without holding the file; `icews_actors.classify` says
whether an ICEWS actor is a person, a state or an organisation. The importers build events
from these.
"""
