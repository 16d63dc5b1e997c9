#!/usr/bin/env python3
"""Summarize captured webhook bodies: envelope keys, entity key lists with the
JSON types seen, datetime formats, result item keys per result type.

Standard library only. Usage: summarize.py [testdata/labelstudio-1.23.2]
"""
import collections
import glob
import json
import os
import re
import sys

DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def jtype(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        if DT_RE.match(v):
            m = DT_RE.match(v)
            return "datetime(%s%s)" % ("frac%d" % (len(m.group(1)) - 1) if m.group(1) else "nofrac",
                                       "," + (m.group(2) or "naive"))
        return "string"
    if isinstance(v, list):
        inner = sorted({jtype(x) if not isinstance(x, (dict, list)) else type(x).__name__ for x in v})
        return "list[%s]" % ",".join(inner)
    return "object"


class Shapes:
    def __init__(self):
        self.keys = collections.defaultdict(lambda: collections.defaultdict(set))
        self.order = {}
        self.count = collections.Counter()

    def add(self, entity, obj, where):
        if not isinstance(obj, dict):
            return
        self.count[entity] += 1
        self.order.setdefault(entity, list(obj.keys()))
        for k, v in obj.items():
            self.keys[entity][k].add(jtype(v))
        for k in self.keys[entity]:
            if k not in obj:
                self.keys[entity][k].add("ABSENT")

    def dump(self):
        for entity in sorted(self.keys):
            print("\n== %s (%d objects)" % (entity, self.count[entity]))
            print("   first-seen key order: %s" % ", ".join(self.order[entity]))
            for k, types in self.keys[entity].items():
                print("   %-38s %s" % (k, " | ".join(sorted(types))))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "testdata/labelstudio-1.23.2"
    sh = Shapes()
    envelopes = collections.defaultdict(set)
    result_keys = collections.defaultdict(lambda: collections.defaultdict(set))
    value_keys = collections.defaultdict(lambda: collections.defaultdict(set))
    for f in sorted(glob.glob(os.path.join(d, "[0-9][0-9][0-9]-*.json"))):
        obj = json.load(open(f))
        a = obj["action"]
        hook = os.path.basename(f).rsplit("-", 1)[1][:-5]
        envelopes["%s@%s" % (a, "nopayload" if hook == "nopayload" else "payload")].add(
            tuple((k, type(v).__name__) for k, v in obj.items()))
        for k, v in obj.items():
            if k == "action":
                continue
            ent = {"tasks": "task", "annotations": "annotation_id_only", "annotation": "annotation",
                   "task": "task", "project": "project", "label_link": "label_link", "label": "label"}.get(k, k)
            if a in ("PROJECT_DELETED",) and k == "project":
                ent = "project_deleted"
            if a in ("TASKS_DELETED",) and k == "tasks":
                ent = "task_id_only"
            if a == "LABEL_LINK_DELETED" and k == "label_link":
                ent = "label_link_deleted"
            if a == "START_TRAINING":
                ent = "project(START_TRAINING)"
            items = v if isinstance(v, list) else [v]
            for it in items:
                sh.add(ent, it, f)
                if ent == "annotation" and isinstance(it, dict):
                    for r in it.get("result") or []:
                        t = r.get("type")
                        for rk, rv in r.items():
                            result_keys[t][rk].add(jtype(rv))
                        for vk, vv in (r.get("value") or {}).items():
                            value_keys[t][vk].add(jtype(vv))
    print("== envelopes (action@payload|nopayload -> top-level keys with python types)")
    for k in sorted(envelopes):
        for e in sorted(envelopes[k]):
            print("   %-34s %s" % (k, ", ".join("%s:%s" % x for x in e)))
    sh.dump()
    print("\n== annotation result items by type")
    for t in sorted(result_keys, key=str):
        print("   %s" % t)
        print("      item : %s" % ", ".join("%s:%s" % (k, "|".join(sorted(v))) for k, v in result_keys[t].items()))
        if value_keys[t]:
            print("      value: %s" % ", ".join("%s:%s" % (k, "|".join(sorted(v)))
                                           for k, v in value_keys[t].items()))


if __name__ == "__main__":
    main()
