#!/usr/bin/env python3
"""Checks that schema/flow.schema.json describes the flow language as FlowLoader reads it.

* every flow in flows/*.yaml (or the folder given as the first argument) must be valid;
* every GOOD snippet below (features the real flows do not use yet) must be valid;
* every BAD snippet below (mistakes FlowLoader refuses) must be invalid.

With `--loader PATH/TO/clinic-bot`, every snippet is also given to `clinic-bot validate`, and
the bot's own loader must agree: no loader error for a GOOD snippet, at least one for a BAD one
(so the schema stays exact to FlowLoader when either changes).

Prints one line per file or snippet and exits 1 on any unexpected result.
Needs PyYAML and jsonschema (`pip install pyyaml jsonschema`, see scripts/requirements-test.txt).

    python3 scripts/check_schema.py [FLOWS_DIR] [--loader .build/debug/clinic-bot]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "flow.schema.json"


class FlowYAMLLoader(yaml.SafeLoader):
    """YAML as the bot reads it: keys are their text as written (`on:` is the key "on", not
    true), dates stay text, and a key given twice is an error."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        mapping = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


# Yams keeps '2026-11-25' as text in the places the schema checks; PyYAML would make a date.
FlowYAMLLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text):
    return yaml.load(text, Loader=FlowYAMLLoader)


# Valid flows using what the real flows do not use (yet): they must pass.
GOOD = {
    "wait, call, params and a rating": """
flow: feedback
description: The NPS question after a visit.
params: [doctor, start]
entry: wait_visit
steps:
  wait_visit:
    wait: { at: params.start + 2h, late: rate }
    next: rate
  rate:
    ask: feedback.rate
    args: { doctor: params.doctor }
    input: { type: rating, min: 0, max: 10 }
    invalid: feedback.rate_invalid
    save: form.rating
    next: check
  check:
    if: form.rating >= 9 and not empty(form.rating)
    then: thanks
    else: comment
    note: promoters are not asked why
  comment:
    ask: feedback.comment
    input: { type: text, min_length: 2, max_length: 500 }
    invalid: { too_long: feedback.comment_too_long, empty: feedback.comment_empty }
    back: true
    save: form.comment
    next: thanks
  thanks:
    say: feedback.thanks
    return: true
""",
    "choices from a list, reply keyboard answers, set, file, invoice": """
flow: documents
triggers: { commands: [/docs, documents], texts: [menu.documents], resume: false }
entry: load
steps:
  load:
    do: archive.list
    with: { patient_id: patient.patient_id, limit: 20, archived: false, since: null }
    save: docs
    commit: false
    on: { ok: pick, error: failed }
  pick:
    ask: documents.pick
    choices:
      from: docs.items
      label: item.title
      value: item.id
      page_size: 6
      empty: none
    columns: 2
    keyboard:
      - [ { label: documents.all, value: all }, { label: documents.none, value: null, next: none } ]
      - menu.home
      - [ { contact: registration.share_phone } ]
    save: form.document
    next: remember
  remember:
    set:
      form.count: len(docs.items)
      form.title: "'Документ ' + str(form.count)"
      form.when: now() - 1.5h
      form.list: "[1, 2, 3]"
    next: send
  send:
    say: documents.ready
    args: { count: form.count }
    file: docs.file
    invoice: docs.invoice
    keyboard: remove
    goto: main_menu
  none:
    say: documents.none
    end: true
  failed:
    goto: main_menu
""",
    "every input type as a word and with its options": """
flow: inputs
entry: a
steps:
  a: { ask: q.a, input: text, next: b }
  b: { ask: q.b, input: name, next: c }
  c: { ask: q.c, input: { type: number, min: 1, max: "params.max" }, next: d }
  d: { ask: q.d, input: phone, next: e }
  e: { ask: q.e, input: { type: contact, optional: true }, next: f }
  f: { ask: q.f, input: { type: date, min: today(), max: today() + 30d, calendar: true, days: slots.days }, next: g }
  g: { ask: q.g, input: { type: birth_date, max_age: 120 }, next: h }
  h: { ask: q.h, input: { type: iin, birth_date: form.birth_date, sex: form.sex }, next: i }
  i: { ask: q.i, input: rating, choices: [ { label: q.skip } ], next: j }
  j: { call: sub, with: { x: 1 }, next: k }
  k: { wait: { for: 30m }, end: true }
""",
    "a reminder plan": "plan: p\nentries:\n  day_before: { flow: a, at: start - 24h, quiet: evening }\n  rating: { flow: b, at: end + 2h }\n  arrival: { flow: c, at: start }\n",
}

# Mistakes FlowLoader refuses: each must fail.
BAD = {
    "plan moment without a unit": "plan: p\nentries: { x: { flow: a, at: start - 24 } }\n",
    "plan moment from another anchor": "plan: p\nentries: { x: { flow: a, at: begin - 1h } }\n",
    "plan entry without a flow": "plan: p\nentries: { x: { at: start - 1h } }\n",
    "plan with an unknown quiet rule": "plan: p\nentries: { x: { flow: a, at: start - 1h, quiet: never } }\n",
    "plan entry with an unknown key": "plan: p\nentries: { x: { flow: a, at: start - 1h, when: now } }\n",
    "plan without entries": "plan: p\n",
    "unknown top-level key": "flow: a\nentry: s\nstep: {}\nsteps: { s: { say: a.b, end: true } }\n",
    "missing entry": "flow: a\nsteps: { s: { say: a.b, end: true } }\n",
    "missing steps": "flow: a\nentry: s\n",
    "no steps at all": "flow: a\nentry: s\nsteps: {}\n",
    "unknown key in a step (misspelt next)": "flow: a\nentry: s\nsteps: { s: { say: a.b, nxt: t }, t: { end: true } }\n",
    "two kinds in one step (say and ask)": "flow: a\nentry: s\nsteps: { s: { say: a.b, ask: a.c, end: true } }\n",
    "two transitions (next and end)": "flow: a\nentry: s\nsteps: { s: { say: a.b, next: s, end: true } }\n",
    "a step that does nothing": "flow: a\nentry: s\nsteps: { s: {} }\n",
    "only 'end: false'": "flow: a\nentry: s\nsteps: { s: { end: false } }\n",
    "bad step name": "flow: a\nentry: s\nsteps: { Bad-Name: { say: a.b, end: true } }\n",
    "step name starting with a digit": "flow: a\nentry: s\nsteps: { 1st: { say: a.b, end: true } }\n",
    "bad flow name": "flow: my flow\nentry: s\nsteps: { s: { say: a.b, end: true } }\n",
    "bad locale key": "flow: a\nentry: s\nsteps: { s: { say: Registration first name, end: true } }\n",
    "bad variable in save": "flow: a\nentry: s\nsteps: { s: { ask: a.b, input: text, save: form first, end: true } }\n",
    "next to a name with a dot": "flow: a\nentry: s\nsteps: { s: { say: a.b, next: other.step } }\n",
    "columns out of range": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: [ { label: a.c } ], columns: 9, end: true } }\n",
    "columns as text": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: [ { label: a.c } ], columns: two, end: true } }\n",
    "back not true/false": "flow: a\nentry: s\nsteps: { s: { ask: a.b, input: text, back: please, end: true } }\n",
    "unknown input type": "flow: a\nentry: s\nsteps: { s: { ask: a.b, input: email, end: true } }\n",
    "input without type": "flow: a\nentry: s\nsteps: { s: { ask: a.b, input: { optional: true }, end: true } }\n",
    "option of another input type": "flow: a\nentry: s\nsteps: { s: { ask: a.b, input: { type: text, max_age: 3 }, end: true } }\n",
    "choice without label": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: [ { value: 1 } ], end: true } }\n",
    "choice with unknown key": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: [ { label: a.c, text: x } ], end: true } }\n",
    "choice value as a mapping": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: [ { label: a.c, value: { x: 1 } } ], end: true } }\n",
    "choices from a list without value": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: { from: x, label: item }, end: true } }\n",
    "page_size too large": "flow: a\nentry: s\nsteps: { s: { ask: a.b, choices: { from: x, label: item, value: item, page_size: 91 }, end: true } }\n",
    "keyboard as an unknown word": "flow: a\nentry: s\nsteps: { s: { say: a.b, keyboard: hide, end: true } }\n",
    "contact button with another key": "flow: a\nentry: s\nsteps: { s: { say: a.b, keyboard: [ [ { contact: a.c, label: a.d } ] ], end: true } }\n",
    "do without on": "flow: a\nentry: s\nsteps: { s: { do: patient.by_telegram } }\n",
    "do with next": "flow: a\nentry: s\nsteps: { s: { do: patient.by_telegram, on: { ok: s }, next: s } }\n",
    "if without else": "flow: a\nentry: s\nsteps: { s: { if: x, then: s } }\n",
    "if with back": "flow: a\nentry: s\nsteps: { s: { if: x, then: s, else: s, back: true } }\n",
    "condition written as a list": "flow: a\nentry: s\nsteps: { s: { if: [x], then: s, else: s } }\n",
    "wait with both at and for": "flow: a\nentry: s\nsteps: { s: { wait: { at: x, for: 1h }, end: true } }\n",
    "wait with neither at nor for": "flow: a\nentry: s\nsteps: { s: { wait: { late: s }, end: true } }\n",
    "wait with unknown key": "flow: a\nentry: s\nsteps: { s: { wait: { for: 1h, until: x }, end: true } }\n",
    "set with a bad variable": "flow: a\nentry: s\nsteps: { s: { set: { 'form x': 1 }, end: true } }\n",
    "args value as a list": "flow: a\nentry: s\nsteps: { s: { say: a.b, args: { name: [a, b] }, end: true } }\n",
    "empty expression": "flow: a\nentry: s\nsteps: { s: { say: a.b, args: { name: '' }, end: true } }\n",
    "call without a flow name": "flow: a\nentry: s\nsteps: { s: { call: { flow: b }, next: s } }\n",
    "unknown trigger key": "flow: a\ntriggers: { command: [menu] }\nentry: s\nsteps: { s: { say: a.b, end: true } }\n",
    "command with a space": "flow: a\ntriggers: { commands: ['my menu'] }\nentry: s\nsteps: { s: { say: a.b, end: true } }\n",
    "resume not true/false": "flow: a\ntriggers: { resume: sometimes }\nentry: s\nsteps: { s: { say: a.b, end: true } }\n",
    "params not a list": "flow: a\nparams: start\nentry: s\nsteps: { s: { say: a.b, end: true } }\n",
    "a key given twice": "flow: a\nentry: s\nsteps:\n  s:\n    say: a.b\n    say: a.c\n    end: true\n",
}


def first_error(validator, document):
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    message = error.message if len(error.message) <= 100 else error.message[:97] + "..."
    return f"{where}: {message}"


# Diagnostics of FlowLoader (as opposed to the validator's checks across flows and texts).
# What the schema can see in one file: the loader's checks, plus an action step without routes.
LOADER_CHECKS = {"yaml", "structure", "unknown-key", "duplicate-key", "name", "value", "expression", "action-outcome"}


def loader_problems(binary, text):
    """The loader errors `clinic-bot validate` reports for one flow file on its own."""
    with tempfile.TemporaryDirectory() as work:
        flows = pathlib.Path(work, "flows")
        flows.mkdir()
        pathlib.Path(work, "locales").mkdir()
        (flows / "snippet.yaml").write_text(text, encoding="utf-8")
        run = subprocess.run([str(pathlib.Path(binary).resolve()), "validate", "flows", "--locales", "locales", "--format", "json"],
                             cwd=work, capture_output=True, text=True, timeout=60)
        report = json.loads(run.stdout)
    return [f"{d['check']}: {d['message'].splitlines()[0]}" for d in report["diagnostics"]
            if d["file"].endswith("snippet.yaml") and d["severity"] == "error" and d["check"] in LOADER_CHECKS]


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("flows", nargs="?", default=str(ROOT / "flows"), help="the flows folder (default: flows/)")
    arguments.add_argument("--loader", help="a clinic-bot binary whose loader must agree on every snippet")
    options = arguments.parse_args()
    flows_dir = pathlib.Path(options.flows)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    unexpected = 0

    def check(label, text, should_pass):
        nonlocal unexpected
        try:
            problem = first_error(validator, load(text))
        except yaml.YAMLError as error:
            problem = "YAML: " + str(error).replace("\n", " ")
        if should_pass and problem is None:
            print(f"ok    {label}: valid")
        elif not should_pass and problem is not None:
            print(f"ok    {label}: rejected ({problem})")
        elif should_pass:
            unexpected += 1
            print(f"FAIL  {label}: should be valid, but {problem}")
        else:
            unexpected += 1
            print(f"FAIL  {label}: should be rejected, but the schema accepts it")

    files = sorted(list(flows_dir.glob("*.yaml")) + list(flows_dir.glob("*.yml")))
    if not files:
        print(f"FAIL  no flow files in {flows_dir}")
        unexpected += 1
    for path in files:
        check(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), path.read_text(encoding="utf-8"), True)
    for name, text in GOOD.items():
        check(f"good snippet '{name}'", text, True)
    for name, text in BAD.items():
        check(f"bad snippet '{name}'", text, False)
    total = len(files) + len(GOOD) + len(BAD)

    if options.loader:
        for name, text, should_pass in [(n, t, True) for n, t in GOOD.items()] + [(n, t, False) for n, t in BAD.items()]:
            total += 1
            problems = loader_problems(options.loader, text)
            label = f"loader on {'good' if should_pass else 'bad'} snippet '{name}'"
            if should_pass and not problems:
                print(f"ok    {label}: accepted")
            elif not should_pass and problems:
                print(f"ok    {label}: refused ({problems[0]})")
            elif should_pass:
                unexpected += 1
                print(f"FAIL  {label}: the loader refuses it ({problems[0]}) but the schema accepts it")
            else:
                unexpected += 1
                print(f"FAIL  {label}: the loader accepts it but the schema refuses it")

    print(f"{total - unexpected} as expected, {unexpected} unexpected")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
