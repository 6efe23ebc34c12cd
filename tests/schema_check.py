"""Validate JSON documents against the published schemas with Python's
jsonschema, format checking on, the way an integrator in Python would.

    python tests/schema_check.py SCHEMA_FILE < documents.json

reads a JSON list of documents and prints one line per document: "ok", or
"invalid: <what is wrong>". Exits 0 when it could check them all.
"""

import json
import sys

from jsonschema import Draft202012Validator


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for document in json.load(sys.stdin):
        error = next(iter(validator.iter_errors(document)), None)
        print("ok" if error is None else f"invalid: {error.message}")


if __name__ == "__main__":
    main()
