"""The declaration document (the typed single administrative document): what every app reads.

A plain package, not a Django app, at the bottom of the layers (docs/adr/0005-layers.md): it
imports no other gomruk package, so every app may import it.
- ``model``: the Pydantic model of the document (boxes 1–54, A–D), its JSON Schema;
- ``shape``: the one reader of the model's field annotations (boxes, kinds, lists, limits);
- ``boxes``: the box table — order, names, sections, printed cells, fields of every box;
- ``schema_errors``: a Pydantic validation error as the project's field errors.
"""
