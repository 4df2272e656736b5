"""Instructions of the signing gate's parts and of each rule, on the submission bench's document.

    .venv/bin/python bench/validate_instructions.py [--top 15]
    PYTHONPATH=<other checkout>/src .venv/bin/python bench/validate_instructions.py   # A/B

Runs under valgrind's callgrind (``bench/instructions.py``; it re-executes itself) in a
throw-away SQLite test database with the demo data, on the 100-item declaration
``bench/submit.py`` sends. Prints the median instructions (millions, three runs) of: the parse
of the document's JSON, ``to_data``, the facts (``gather_facts``: rates, the duty calculation,
nomenclature, trader), the rules (``rules.engine.validate``), the whole ``document_check``; then
the ``--top`` rules by their own instructions (each run alone on a fresh memo, so a helper two
rules share is counted in both). The figure that says where the signing payload's time goes,
and whether a change moved it, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")

from instructions import Callgrind  # noqa: E402 (bench/, this script's directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    counter = Callgrind.here()
    if counter is None:
        Callgrind.reexec(sys.argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("createcachetable", verbosity=0)
        from django.utils import timezone
        from submit_inprocess import hundred_items

        from gomruk.declarations.validation import document_check, gather_facts
        from gomruk.demo.setup import initialise
        from gomruk.document.model import Declaration as Document
        from gomruk.reference.snapshot import current_reference
        from gomruk.rules import engine
        from gomruk.rules.base import Env, Rule
        from gomruk.rules.profiles import profile_for

        for _ in initialise(demo=True):
            pass
        text = json.dumps(hundred_items(100))
        document = Document.model_validate_json(text)
        on = timezone.localdate()
        voen = "1401555071"
        context, _ = gather_facts(document=document, on=on, trader_voen=voen, signing_date=on)
        reference = current_reference()
        parts = {
            "parse": lambda: Document.model_validate_json(text),
            "to_data": document.to_data,
            "facts": lambda: gather_facts(document=document, on=on, trader_voen=voen, signing_date=on),
            "rules": lambda: engine.validate(document, reference=reference, on=on, context=context),
            "document_check": lambda: document_check(document=document, trader_voen=voen),
        }
        for part in parts.values():
            part()
        for _ in range(3):
            for name, part in parts.items():
                counter.count(name, part)

        rules = engine.rules_for(document.declaration_type or "01", document.direction, document.procedure)
        env = Env(doc=document, ref=reference, on=on, context=context,
                  profile=profile_for(document.declaration_type or "01", document.direction, document.procedure))

        def run(rule: Rule) -> None:
            env.memo.clear()
            if rule.effective_on(on) and rule.when(env):
                list(rule.check(env))

        for rule in rules:
            run(rule)
        for rule in rules:
            counter.count(f"rule {rule.code}", lambda rule=rule: run(rule))
    finally:
        teardown_databases(old, verbosity=0)

    print(f"signing gate on a 100-item declaration, {len(rules)} rules (median of 3, millions of instructions)")
    for name in parts:
        print(f"{name:<16}{statistics.median(counter.counts[name]) / 1e6:>10.2f} M")
    ranked = sorted(((counter.counts[f'rule {r.code}'][0], r.code) for r in rules), reverse=True)
    print(f"top {args.top} rules, each alone:")
    for count, code in ranked[: args.top]:
        print(f"  {code:<14}{count / 1e6:>8.2f} M")
    print(f"validate instructions: {statistics.median(counter.counts['document_check']) / 1e6:.1f} M per document_check")


if __name__ == "__main__":
    main()
