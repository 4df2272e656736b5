"""Demo and test data: what ``gomruk init`` / ``gomruk demo`` load, the demo users and keys,
the document factories and the throw-away test PKI. The top layer of the domain: it may import
every app, and no app imports it (see docs/adr/0005-layers.md)."""
