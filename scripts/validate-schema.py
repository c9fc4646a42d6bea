#!/usr/bin/env python3
"""Validate `perfspec build --format json` output against docs/perfspec.schema.json.

Usage: scripts/validate-schema.py [--schema FILE] DOC.json... ("-" reads stdin)

Uses the external `jsonschema` package (pip install jsonschema), so the schema is checked
by a standard validator and not by perfspec's own code. Checks the schema itself first
(draft 2020-12 metaschema), then every document, with format checking on ("date").
Exit status: 0 all valid, 1 some document is invalid, 2 could not run (no jsonschema,
unreadable file, bad JSON, invalid schema).
"""

import argparse
import json
import sys
from pathlib import Path

DEFAULT_SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "perfspec.schema.json"


def load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema", default=str(DEFAULT_SCHEMA))
    ap.add_argument("docs", nargs="+")
    args = ap.parse_args()

    try:
        import jsonschema
        from jsonschema import Draft202012Validator
    except ImportError:
        print("validate-schema: python package jsonschema is missing (pip install jsonschema)",
              file=sys.stderr)
        return 2

    try:
        schema = load(args.schema)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate-schema: bad schema {args.schema}: {e}", file=sys.stderr)
        return 2

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    failed = False
    for path in args.docs:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            print(f"validate-schema: cannot read {path}: {e}", file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            failed = True
            for e in errors:
                where = "/".join(str(p) for p in e.absolute_path) or "(root)"
                msg = e.message if len(e.message) <= 300 else e.message[:300] + " …"
                print(f"{path}: {where}: {msg}", file=sys.stderr)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
