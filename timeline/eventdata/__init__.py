"""Event data as analysts keep it: typed, streaming row readers and the rules for actors.

Pure functions over bytes and text: `gdelt.read_gdelt` and `polecat.read_polecat` yield
typed rows or located row problems without holding the file; `icews_actors.classify` says
whether an ICEWS actor is a person, a state or an organisation; `sides` puts the two sides
on an event (people as leaders, everything else as its state in `countries`) and applies
the `--country` filter (`countries.CountryFilter`); `fold` folds repeated codings of one
interaction into one event. The importers build events from these.
"""
