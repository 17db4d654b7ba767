#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# render.py - the small Python side of scripts/lava.sh (LAVA is Python):
#
#   render.py job TEMPLATE KEY=VALUE...   render a job template (jinja2) to stdout
#   render.py device TYPES DICT JOB       render device dictionary DICT, which
#                                         extends a device-type template of
#                                         lava-server's TYPES directory, with
#                                         JOB's context, as lava-server does
#   render.py schema JOB                  lava_common's job schema, strict
#   render.py results LOG NAME            per-case results that lava-run logged
#                                         for the monitor NAME, and the console
#
# Debian's /usr/bin/python3 with python3-jinja2 and lava-common.
import json
import os
import sys

import jinja2
import yaml


def render_job(template, pairs):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.dirname(template)),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    values = dict(p.split("=", 1) for p in pairs)
    sys.stdout.write(env.get_template(os.path.basename(template)).render(**values))


def render_device(types, dictionary, job):
    # lava-server: trim_blocks, autoescape off, the job's context as variables.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([os.path.dirname(dictionary), types]),
                             trim_blocks=True, autoescape=False)
    with open(job) as f:
        context = yaml.safe_load(f).get("context", {})
    text = env.get_template(os.path.basename(dictionary)).render(**context)
    yaml.safe_load(text)  # a broken template fails here, not in lava-run
    sys.stdout.write(text)


def schema(job):
    from lava_common.schemas import validate

    with open(job) as f:
        validate(yaml.safe_load(f), strict=True)
    print(f"lava_common schema: {job} is valid")


def results(log, name):
    """Print "<result> <case>" per test case of monitor NAME, and "JOB <result>";
    the console (LAVA's "target" lines) goes to fd 3."""
    console = os.fdopen(3, "w")
    with open(log) as f:
        for line in f:
            try:  # lava-run logs one JSON (flow YAML) object per line
                e = json.loads(line)
            except ValueError:
                continue
            msg = e.get("msg")
            if e.get("lvl") == "target" and isinstance(msg, str):
                console.write(msg + "\n")
            elif e.get("lvl") == "results" and isinstance(msg, dict):
                if msg.get("definition") == name:
                    print(msg["result"], msg["extra"]["test_case_id"])
                elif msg.get("definition") == "lava" and msg.get("case") == "job":
                    print("JOB", msg["result"])
    console.close()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "job":
        render_job(args[0], args[1:])
    elif cmd == "device":
        render_device(*args)
    elif cmd == "schema":
        schema(*args)
    elif cmd == "results":
        results(*args)
    else:
        sys.exit(f"usage: {sys.argv[0]} job|device|schema|results ...")
