#!/usr/bin/env python3
"""Drive a live Label Studio server through every webhook-emitting REST call.

Standard library only (urllib). Started by conformance/run.sh once the server
answers /health/ and the recorder (conformance/recorder.py) is listening.

For every REST call the driver records, in manifest.json, the request, the HTTP
status, the webhook actions it expects (with the ids involved and the hooks
that should receive them) and the webhook bodies that actually arrived while
the call was in flight (Label Studio Community delivers webhooks inline, inside
the triggering request). Captured bodies are written byte-for-byte, except for
secret values (keys token, task_data_login, task_data_password), to
<out>/NNN-ACTION-HOOK.json.

Exit status: 0 when every expected action was captured at least once,
1 otherwise (missing actions are printed by name), 2 on a harness error.
"""
import argparse
import collections
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

HOOK_HEADER = "X-Harness-Hook"
SECRET_KEYS = ("token", "task_data_login", "task_data_password")
# "key": "string value" for the secret keys, on raw JSON bytes. A key inside a
# JSON string would be written \"token\" and cannot match.
SECRET_RE = re.compile(rb'("(token|task_data_login|task_data_password)"\s*:\s*)"((?:[^"\\]|\\.)*)"')

# Where the entity sits in each action's payload (label-studio-webhooks.md §1).
ACTION_KEY = {
    "PROJECT_CREATED": "project",
    "PROJECT_UPDATED": "project",
    "PROJECT_DELETED": "project",
    "START_TRAINING": "project",
    "TASKS_CREATED": "tasks",
    "TASKS_DELETED": "tasks",
    "ANNOTATION_CREATED": "annotation",
    "ANNOTATIONS_CREATED": "annotation",
    "ANNOTATION_UPDATED": "annotation",
    "ANNOTATIONS_DELETED": "annotations",
    "LABEL_LINK_CREATED": "label_link",
    "LABEL_LINK_UPDATED": "label_link",
    "LABEL_LINK_DELETED": "label_link",
}

# --------------------------------------------------------------------------
# Labeling configurations and realistic results, one project per family.
# --------------------------------------------------------------------------

def view(*lines):
    """A labeling configuration: <View> around the lines, indented by two."""
    return "<View>\n" + "".join("  " + line + "\n" for line in "\n".join(lines).split("\n")) + "</View>"


def control(tag, name, to_name, *values, child="Label", attrs=""):
    """A control tag with one child per value, such as <Labels> and its <Label>s."""
    return "\n".join([f'<{tag} name="{name}" toName="{to_name}"{attrs}>']
                     + [f'  <{child} value="{v}"/>' for v in values]
                     + [f"</{tag}>"])


def region(id_, from_name, to_name, type_, value, **extra):
    """A result region drawn by hand; extra keys stand before "value"."""
    return {"id": id_, "from_name": from_name, "to_name": to_name, "type": type_, "origin": "manual",
            **extra, "value": value}


TEXT_CONFIG = view(
    '<Text name="text" value="$text"/>',
    control("Labels", "ner", "text", "PER", "ORG"),
    "<Relations>",
    '  <Relation value="works_at"/>',
    "</Relations>",
    control("Choices", "sentiment", "text", "pos", "neg", child="Choice", attrs=' choice="single"'),
    '<TextArea name="comment" toName="text"/>',
    '<Rating name="rating" toName="text" maxRating="5"/>',
    '<Number name="count" toName="text" min="0" max="100"/>',
    '<DateTime name="when" toName="text" only="date,time"/>',
    '<Taxonomy name="topic" toName="text">',
    '  <Choice value="Science">',
    '    <Choice value="Physics"/>',
    "  </Choice>",
    '  <Choice value="Art"/>',
    "</Taxonomy>",
)


def text_result(variant=0):
    """Full text-project result: labels + relation + classification controls."""
    return [
        region("ner_per", "ner", "text", "labels", {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}),
        region("ner_org", "ner", "text", "labels", {"start": 15, "end": 19, "text": "Acme", "labels": ["ORG"]}),
        {"from_id": "ner_per", "to_id": "ner_org", "type": "relation", "direction": "right",
         "labels": ["works_at"]},
        region("sent_1", "sentiment", "text", "choices", {"choices": ["neg" if variant else "pos"]}),
        region("comm_1", "comment", "text", "textarea", {"text": ["Looks right" if not variant else "Edited comment"]}),
        region("rate_1", "rating", "text", "rating", {"rating": 4 - variant}),
        region("num_1", "count", "text", "number", {"number": 42.5}),
        region("dt_1", "when", "text", "datetime", {"datetime": "2024-05-01T10:30"}),
        region("tax_1", "topic", "text", "taxonomy", {"taxonomy": [["Science", "Physics"], ["Art"]]}),
    ]


IMAGE_CONFIG = view(
    '<Image name="image" value="$image"/>',
    control("RectangleLabels", "box", "image", "Cat", "Dog"),
    control("PolygonLabels", "poly", "image", "Cat"),
    control("KeyPointLabels", "kp", "image", "Eye"),
    control("BrushLabels", "brush", "image", "Cat"),
    control("EllipseLabels", "ell", "image", "Ball"),
    '<Ellipse name="ellipse" toName="image"/>',
)

_IMG = {"original_width": 640, "original_height": 480, "image_rotation": 0}


def image_result():
    return [
        dict(_IMG, id="rect_1", from_name="box", to_name="image", type="rectanglelabels", origin="manual",
             value={"x": 10.5, "y": 20.25, "width": 30, "height": 40.125, "rotation": 0,
                    "rectanglelabels": ["Cat"]}),
        dict(_IMG, id="poly_1", from_name="poly", to_name="image", type="polygonlabels", origin="manual",
             value={"points": [[10, 10], [50.5, 12], [40, 60.25]], "closed": True, "polygonlabels": ["Cat"]}),
        dict(_IMG, id="kp_1", from_name="kp", to_name="image", type="keypointlabels", origin="manual",
             value={"x": 33.3, "y": 44.4, "width": 0.625, "keypointlabels": ["Eye"]}),
        dict(_IMG, id="brush_1", from_name="brush", to_name="image", type="brushlabels", origin="manual",
             value={"format": "rle", "rle": [0, 0, 19, 224, 0, 255, 3, 7, 255, 224, 0, 0],
                    "brushlabels": ["Cat"]}),
        dict(_IMG, id="ell_1", from_name="ell", to_name="image", type="ellipselabels", origin="manual",
             value={"x": 60, "y": 60, "radiusX": 5.5, "radiusY": 7, "rotation": 15, "ellipselabels": ["Ball"]}),
        dict(_IMG, id="ell_2", from_name="ellipse", to_name="image", type="ellipse", origin="manual",
             value={"x": 70, "y": 30, "radiusX": 3, "radiusY": 3, "rotation": 0}),
    ]


AUDIO_CONFIG = view('<Audio name="audio" value="$audio"/>', control("Labels", "speaker", "audio", "Alice", "Bob"))


def audio_result():
    return [region("aud_1", "speaker", "audio", "labels",
                   {"start": 1.25, "end": 3.5, "channel": 0, "labels": ["Alice"]}, original_length=12.5)]


PARAGRAPHS_CONFIG = view(
    '<Paragraphs name="dialogue" value="$dialogue" layout="dialogue" nameKey="author" textKey="text"/>',
    control("ParagraphLabels", "pl", "dialogue", "Question", "Answer"),
)


def paragraphs_result():
    return [region("par_1", "pl", "dialogue", "paragraphlabels",
                   {"start": "0", "end": "0", "startOffset": 0, "endOffset": 12, "text": "How are you?",
                    "paragraphlabels": ["Question"]})]


TIMESERIES_CONFIG = view(
    '<TimeSeries name="ts" value="$ts" valueType="json" timeColumn="time">',
    '  <Channel column="value"/>',
    "</TimeSeries>",
    control("TimeSeriesLabels", "tsl", "ts", "Run", "Walk"),
)


def timeseries_result():
    return [region("ts_1", "tsl", "ts", "timeserieslabels",
                   {"start": 1, "end": 3, "instant": False, "timeserieslabels": ["Run"]})]


HYPERTEXT_CONFIG = view('<HyperText name="html" value="$html"/>', control("HyperTextLabels", "hl", "html", "Title"))


def hypertext_result():
    return [region("ht_1", "hl", "html", "hypertextlabels",
                   {"start": "/div[1]/h1[1]/text()[1]", "end": "/div[1]/h1[1]/text()[1]",
                    "startOffset": 0, "endOffset": 5, "globalOffsets": {"start": 0, "end": 5},
                    "text": "Hello", "hypertextlabels": ["Title"]})]


PAIRWISE_CONFIG = view(
    '<Pairwise name="pw" toName="left,right"/>',
    '<Text name="left" value="$left"/>',
    '<Text name="right" value="$right"/>',
)


def pairwise_result():
    return [region("pw_1", "pw", "left,right", "pairwise", {"selected": "left"})]


RANKER_CONFIG = view(
    '<List name="results" value="$items" title="Search results"/>',
    '<Ranker name="rank" toName="results">',
    '  <Bucket name="relevant" title="Relevant"/>',
    '  <Bucket name="irrelevant" title="Irrelevant"/>',
    "</Ranker>",
)


def ranker_result():
    return [region("rank_1", "rank", "results", "ranker", {"ranker": {"relevant": ["a", "c"], "irrelevant": ["b"]}})]


VIDEO_CONFIG = view(
    '<Video name="video" value="$video" framerate="25"/>',
    '<VideoRectangle name="vbox" toName="video"/>',
    control("Labels", "videoLabels", "video", "Car"),
)


def video_result():
    return [region("vid_1", "vbox", "video", "videorectangle",
                   {"framesCount": 250, "duration": 10,
                    "sequence": [
                        {"frame": 1, "enabled": True, "rotation": 0, "x": 10, "y": 20, "width": 30,
                         "height": 15.5, "time": 0.04},
                        {"frame": 50, "enabled": False, "rotation": 0, "x": 20, "y": 25, "width": 30,
                         "height": 15.5, "time": 2},
                    ],
                    "labels": ["Car"]})]


TYPE_PROJECTS = [
    # (key, title, config, task data, result factory, task creation route)
    ("image", "Harness image", IMAGE_CONFIG, {"image": "https://example.com/images/cat-1.jpg"}, image_result,
     "import"),
    ("audio", "Harness audio", AUDIO_CONFIG, {"audio": "https://example.com/audio/dialog-1.wav"}, audio_result,
     "import"),
    ("paragraphs", "Harness paragraphs", PARAGRAPHS_CONFIG,
     {"dialogue": [{"author": "Alice", "text": "How are you?"}, {"author": "Bob", "text": "Fine, thanks."}]},
     paragraphs_result, "project_tasks"),
    ("timeseries", "Harness time series", TIMESERIES_CONFIG,
     {"ts": {"time": [0, 1, 2, 3, 4, 5], "value": [1.5, 3, 2.25, 5, 4, 3.5]}}, timeseries_result, "import"),
    ("hypertext", "Harness hypertext", HYPERTEXT_CONFIG,
     {"html": "<div><h1>Hello world</h1><p>Body text</p></div>"}, hypertext_result, "import"),
    ("pairwise", "Harness pairwise", PAIRWISE_CONFIG,
     {"left": "The first answer.", "right": "The second answer."}, pairwise_result, "import"),
    ("ranker", "Harness ranker", RANKER_CONFIG,
     {"items": [{"id": "a", "title": "Result A", "body": "alpha"}, {"id": "b", "title": "Result B", "body": "beta"},
                {"id": "c", "title": "Result C", "body": "gamma"}]}, ranker_result, "import"),
    ("video", "Harness video", VIDEO_CONFIG, {"video": "https://example.com/video/street.mp4"}, video_result,
     "import"),
]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def redact_obj(obj):
    """Structural equivalent of the raw-bytes scrub, used to verify it."""
    if isinstance(obj, dict):
        return {k: ("REDACTED-" + k if k in SECRET_KEYS and isinstance(v, str) else redact_obj(v))
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [redact_obj(v) for v in obj]
    return obj


def scrub(raw):
    new = SECRET_RE.sub(lambda m: m.group(1) + b'"REDACTED-' + m.group(2) + b'"', raw)
    if json.loads(new) != redact_obj(json.loads(raw)):
        raise RuntimeError("scrub verification failed")
    return new


def summarize(obj, limit=1500):
    """Small, secret-free echo of a REST response for the manifest."""
    obj = redact_obj(obj)
    text = json.dumps(obj)
    if len(text) <= limit:
        return obj
    if isinstance(obj, dict):
        return {"_truncated": True, "_keys": sorted(obj.keys()),
                **{k: obj[k] for k in ("id", "task_count", "annotation_count", "task_ids", "detail", "count")
                   if k in obj}}
    if isinstance(obj, list):
        return {"_truncated": True, "_len": len(obj)}
    return {"_truncated": True}


def multipart(fields):
    """fields: list of (name, filename, content_type, bytes)."""
    boundary = "lswebhook" + uuid.uuid4().hex
    out = []
    for name, filename, ctype, data in fields:
        out.append(("--%s\r\n" % boundary).encode())
        out.append(('Content-Disposition: form-data; name="%s"; filename="%s"\r\n' % (name, filename)).encode())
        out.append(("Content-Type: %s\r\n\r\n" % ctype).encode())
        out.append(data)
        out.append(b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=%s" % boundary


class HarnessError(Exception):
    pass


class Driver:
    def __init__(self, args):
        self.a = args
        self.ls = args.ls_url.rstrip("/")
        self.rec = args.recorder_url.rstrip("/")
        self.steps = []
        self.webhooks = []          # registered hooks (manifest)
        self.org_hooks = []         # tags of active organization-level hooks
        self.project_hooks = collections.defaultdict(list)  # project id -> tags
        self.notes = []
        self.seen_seq = 0
        self.seq_step = {}          # record seq -> step index
        self.facts = {}
        self.not_producible = {}    # action -> why this release cannot send it
        self.findings = []          # deterministic one-line facts about the release's behaviour

    # ------------------------------------------------------------ http ----
    def http(self, method, path, body=None, raw=None, ctype=None, timeout=120):
        url = path if path.startswith("http") else self.ls + path
        headers = {"Authorization": "Token " + self.a.token, "Accept": "application/json"}
        data = None
        if raw is not None:
            data, headers["Content-Type"] = raw, ctype
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = {"_text": text.decode("utf-8", "replace")[:500]}
        return status, parsed

    # --------------------------------------------------------- records ----
    def new_records(self):
        out = []
        while True:
            meta_path = os.path.join(self.a.record_dir, "%06d.meta.json" % (self.seen_seq + 1))
            if not os.path.exists(meta_path):
                return out
            with open(meta_path) as f:
                meta = json.load(f)
            self.seen_seq += 1
            out.append(meta)

    @staticmethod
    def record_tag(meta):
        for k, v in meta["headers"]:
            if k.lower() == HOOK_HEADER.lower():
                return v
        path = meta["path"].split("?", 1)[0].rstrip("/")
        if path == "/webhook":
            return "ml"
        return None

    def read_body(self, seq):
        with open(os.path.join(self.a.record_dir, "%06d.body" % seq), "rb") as f:
            return f.read()

    # ----------------------------------------------------------- steps ----
    def step(self, name, method, path, body=None, raw=None, ctype=None, note=None, echo_body=True):
        idx = len(self.steps)
        self.new_records()  # anything stray belongs to no step
        t0 = time.time()
        status, resp = self.http(method, path, body=body, raw=raw, ctype=ctype)
        dt = time.time() - t0
        entry = {
            "index": idx,
            "name": name,
            "request": {"method": method, "path": path},
            "status": status,
            "response": summarize(resp) if resp is not None else None,
            "expected": [],
            "received_seq": [],
            "seconds": round(dt, 3),
        }
        if body is not None and echo_body:
            # The echo is scrubbed like the captures (the harness's own
            # task_data_login / task_data_password values included).
            entry["request"]["body"] = redact_obj(body)
        if raw is not None:
            entry["request"]["content_type"] = ctype.split(";")[0]
            entry["request"]["body_note"] = "multipart upload, see driver.py"
        if note:
            entry["note"] = note
        for meta in self.new_records():
            entry["received_seq"].append(meta["seq"])
            self.seq_step[meta["seq"]] = idx
        self.steps.append(entry)
        print("  [%02d] %-58s %s %s -> %s (%d deliveries, %.2fs)"
              % (idx, name, method, path, status, len(entry["received_seq"]), dt), flush=True)
        return entry, resp

    def hooks_for(self, project_id, org_only=False):
        hooks = list(self.org_hooks)
        if not org_only and project_id is not None:
            hooks += self.project_hooks.get(project_id, [])
        return hooks

    def in_catalogue(self, action):
        """Whether the release lists the action in GET /api/webhooks/info/."""
        info = self.webhooks_info
        return not isinstance(info, dict) or action in info

    def unproducible(self, action, why):
        if action not in self.not_producible:
            self.not_producible[action] = why
            self.note("%s cannot be produced: %s" % (action, why))

    def expect(self, entry, action, project_id, org_only=False, hooks=None, force=False, **ids):
        if not force and not self.in_catalogue(action):
            self.unproducible(action, "not in this release's action catalogue (GET /api/webhooks/info/)")
            return
        hooks = hooks if hooks is not None else self.hooks_for(project_id, org_only)
        if not hooks:
            self.note("%s for step %r cannot be captured: no hook would receive it" % (action, entry["name"]))
            return
        exp = {"action": action, "project_id": project_id, "hooks": hooks}
        for k, v in ids.items():
            if v is not None:
                exp[k] = v
        entry["expected"].append(exp)

    def finding(self, text):
        """A behaviour of the release worth documenting (no ids, no timestamps)."""
        if text not in self.findings:
            self.findings.append(text)

    @staticmethod
    def detail(resp):
        """The deterministic part of an error response."""
        if isinstance(resp, dict):
            for k in ("validation_errors", "detail", "_text"):
                if k in resp:
                    v = resp[k]
                    text = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
                    text = re.sub(r"\{'data'.*", "", text)  # the echoed task data
                    return " ".join(text.split())[:200]
        return ""

    def note(self, text):
        print("  NOTE: " + text, flush=True)
        self.notes.append(text)

    def require(self, entry, *codes):
        if entry["status"] not in codes:
            raise HarnessError("step %r: HTTP %s %s" % (entry["name"], entry["status"],
                                                        json.dumps(entry["response"])[:800]))

    def step_request(self, idx):
        """The REST call of step idx: "METHOD path"."""
        if idx is None or idx >= len(self.steps):
            return None
        r = self.steps[idx]["request"]
        return "%s %s" % (r["method"], r["path"])

    @staticmethod
    def dm_items(ids):
        return {"selectedItems": {"all": False, "included": list(ids)}}

    # ------------------------------------------------------- package ----
    def package_facts(self):
        pkg = self.a.ls_package
        facts = {}

        def grep(rel, pattern, ctx=0):
            try:
                with open(os.path.join(pkg, rel)) as f:
                    lines = f.read().splitlines()
            except OSError as e:
                return ["<%s>" % e]
            out = []
            for i, line in enumerate(lines):
                if re.search(pattern, line):
                    out.extend(l.strip() for l in lines[i:i + 1 + ctx])
            return out

        facts["settings_base"] = grep("core/settings/base.py",
                                      r"^(SSRF_PROTECTION_ENABLED|ML_BLOCK_LOCAL_IP|WEBHOOK_TIMEOUT|WEBHOOK_BATCH_SIZE|"
                                      r"WEBHOOK_MAX_CONSECUTIVE_FAILURES|LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN|"
                                      r"LATEST_VERSION_CHECK|COLLECT_ANALYTICS|ALLOW_ORGANIZATION_WEBHOOKS|"
                                      r"FEATURE_FLAGS_DEFAULT_VALUE|REDIS_ENABLED)\b")
        if "LATEST_VERSION_CHECK = True" in facts["settings_base"]:
            self.finding("core/settings/base.py hard-codes LATEST_VERSION_CHECK = True (the environment variable has "
                         "no effect): every process that imports the package asks the package index for a newer "
                         "release (10 s timeout)%s"
                         % (" unless APP_WEBSERVER=uwsgi" if grep("core/utils/common.py", r"APP_WEBSERVER")
                            else "; no setting turns it off"))
        facts["settings_label_studio"] = grep("core/settings/label_studio.py", r"^FEATURE_FLAGS_DEFAULT_VALUE")
        facts["webhooks_api_perform_create"] = grep("webhooks/api.py", r"def perform_create", ctx=8)
        facts["ml_models_create_ml_webhook"] = grep("ml/models.py", r"def create_ml_webhook|receiver\(post_save")
        facts["webhook_consecutive_failures_in_code"] = bool(
            grep("webhooks/models.py", r"consecutive_failures") + grep("webhooks/utils.py", r"consecutive"))
        facts["projects_api_webhook_decorators"] = grep("projects/api.py", r"@api_webhook", ctx=1)
        flags = {}
        try:
            with open(os.path.join(pkg, "feature_flags.json")) as f:
                ff = json.load(f)
            ff = ff.get("flags", ff)
        except (OSError, ValueError):
            ff = {}
        try:
            with open(os.path.join(pkg, "core/feature_flags/stale_feature_flags.py")) as f:
                stale = f.read()
        except OSError:
            stale = ""
        for name in ("fflag__feature_develop__prompts__dia_1829_jwt_token_auth",
                     "fflag_fix_back_lsdv_4604_excess_sql_queries_in_api_short",
                     "fflag_fix_back_plt_843_webhook_memory_improvement_12082025_short",
                     "fflag_fix_plt_1004_skip_job_for_disabled_webhook_04022026_short",
                     "ff_back_dev_1417_start_training_mlbackend_webhooks_250122_long",
                     "fflag_feat_fit_568_finite_state_management",
                     "fflag_feat_bros_573_project_soft_deletion"):
            f = ff.get(name)
            entry = {"in_feature_flags_json": f is not None}
            if f is not None:
                var = f.get("variations") or [True, False]
                entry["on"] = f.get("on")
                fall = (f.get("fallthrough") or {}).get("variation")
                entry["effective_from_file"] = (var[fall] if f.get("on") and fall is not None
                                                else var[f.get("offVariation", 1)])
            m = re.search(r"'%s'\s*:\s*(True|False)" % re.escape(name), stale)
            entry["stale_value"] = m.group(1) if m else None
            flags[name] = entry
        facts["feature_flags"] = flags
        self.facts = facts

    # ----------------------------------------------------------- hooks ----
    def create_project_hook(self, pid, tag, send_payload=True):
        body = {"url": "%s/hook/%s" % (self.rec, tag), "project": pid, "send_payload": send_payload,
                "send_for_all_actions": True, "headers": {HOOK_HEADER: tag}, "is_active": True}
        e, r = self.step("create %s webhook for project %s" % (tag, pid), "POST", "/api/webhooks/", body)
        self.require(e, 201)
        self.project_hooks[pid].append(tag)
        self.webhooks.append({"id": r["id"], "tag": tag, "project": pid, "send_payload": send_payload,
                              "created_via": "REST", "url_path": "/hook/%s" % tag})
        return r["id"]

    def create_org_hook(self):
        tag = "org"
        body = {"url": "%s/hook/%s" % (self.rec, tag), "project": None, "send_payload": True,
                "send_for_all_actions": True, "headers": {HOOK_HEADER: tag}, "is_active": True}
        e, r = self.step("create organization webhook via REST (project: null)", "POST", "/api/webhooks/", body)
        self.facts["org_webhook_rest"] = {"status": e["status"], "response": e["response"]}
        if e["status"] == 201:
            self.org_hooks.append(tag)
            self.webhooks.append({"id": r["id"], "tag": tag, "project": None, "send_payload": True,
                                  "created_via": "REST", "url_path": "/hook/org"})
            return
        self.note("REST refused an organization-level webhook (HTTP %s %s); using the ORM fallback"
                  % (e["status"], json.dumps(e["response"])))
        self.finding("POST /api/webhooks/ with \"project\": null (an organisation-level hook) is refused: HTTP %s %s; "
                     "the harness creates that hook through the ORM, and deliveries to it work"
                     % (e["status"], self.detail(e["response"])))
        env = dict(os.environ)
        env.update({
            "LABEL_STUDIO_BASE_DATA_DIR": self.a.data_dir, "DJANGO_DB": "sqlite",
            "LABEL_STUDIO_LATEST_VERSION_CHECK": "false", "LATEST_VERSION_CHECK": "false", "APP_WEBSERVER": "uwsgi",
            "LABEL_STUDIO_COLLECT_ANALYTICS": "false", "COLLECT_ANALYTICS": "false",
            "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "",
            "SSRF_PROTECTION_ENABLED": "false", "ML_BLOCK_LOCAL_IP": "false",
        })
        for k in ("USERNAME", "PASSWORD", "PORT", "HOST", "DJANGO_SETTINGS_MODULE"):
            env.pop(k, None)
        t0 = time.time()
        p = subprocess.run([self.a.venv_python, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                               "orm_helper.py"), "org-webhook",
                            "--url", "%s/hook/%s" % (self.rec, tag), "--tag", tag, "--header-name", HOOK_HEADER],
                           env=env, capture_output=True, text=True, timeout=300)
        ok = p.returncode == 0
        hook_id = None
        if ok:
            try:
                hook_id = json.loads(p.stdout.strip().splitlines()[-1])["id"]
            except (ValueError, IndexError, KeyError):
                ok = False
        self.steps.append({"index": len(self.steps), "name": "create organization webhook via ORM fallback",
                           "request": {"method": "ORM", "path": "conformance/orm_helper.py org-webhook"},
                           "status": 0 if ok else p.returncode, "response": {"id": hook_id} if ok else
                           {"stderr_tail": p.stderr[-1500:]}, "expected": [], "received_seq": [],
                           "seconds": round(time.time() - t0, 3)})
        print("  [%02d] create organization webhook via ORM fallback -> %s (%.1fs)"
              % (len(self.steps) - 1, "ok id=%s" % hook_id if ok else "FAILED", time.time() - t0), flush=True)
        self.facts["org_webhook_orm_fallback"] = {"ok": ok, "id": hook_id}
        if ok:
            self.org_hooks.append(tag)
            self.webhooks.append({"id": hook_id, "tag": tag, "project": None, "send_payload": True,
                                  "created_via": "ORM", "url_path": "/hook/org"})
        else:
            self.note("ORM fallback failed: " + p.stderr[-600:])

    # ------------------------------------------------------- scenario ----
    def run(self):
        self.package_facts()

        e, r = self.step("whoami (legacy token auth)", "GET", "/api/current-user/whoami")
        self.require(e, 200)
        self.user_id = r["id"]
        self.facts["health_status_without_auth"] = urllib_status_noauth(self.ls + "/health/")
        e, r = self.step("webhook action catalogue", "GET", "/api/webhooks/info/")
        self.webhooks_info = r

        # --- organization hook, then the main text project -------------------
        self.create_org_hook()

        e, r = self.step("create main text project", "POST", "/api/projects/",
                         {"title": "Harness text", "description": "lswebhook conformance",
                          "label_config": TEXT_CONFIG})
        self.require(e, 201)
        P = r["id"]
        self.main_project = P
        self.expect(e, "PROJECT_CREATED", P, org_only=True)

        self.create_project_hook(P, "project")
        self.create_project_hook(P, "nopayload", send_payload=False)

        e, r = self.step("PATCH project (description, task data credentials)", "PATCH", "/api/projects/%d/" % P,
                         {"description": "patched by harness", "task_data_login": "harness-login",
                          "task_data_password": "harness-password", "color": "#FF8800"})
        self.require(e, 200)
        self.expect(e, "PROJECT_UPDATED", P)

        # --- tasks -------------------------------------------------------------
        tasks_json = [
            {"text": "Alice works at Acme."},
            {"data": {"text": "Bob founded Initech."}, "meta": {"source": "harness", "batch": 1}},
            {"text": "Carol joined Globex."},
            {"data": {"text": "Dave left Hooli."},
             "annotations": [{"result": [{"id": "imp_1", "from_name": "sentiment", "to_name": "text",
                                          "type": "choices", "value": {"choices": ["neg"]}}]}]},
        ]
        e, r = self.step("import JSON tasks (4, one with an annotation)", "POST",
                         "/api/projects/%d/import?return_task_ids=true" % P, tasks_json)
        self.require(e, 201)
        t_json = r.get("task_ids") or []
        self.expect(e, "TASKS_CREATED", P, task_ids=t_json, count=len(t_json) or 4)

        csv_data = b"text\nErin visits Paris.\nFrank reads Le Monde.\n\"Grace, the engineer, codes.\"\n"
        raw, ctype = multipart([("csv_1", "tasks.csv", "text/csv", csv_data)])
        e, r = self.step("import CSV tasks (3 rows, multipart)", "POST",
                         "/api/projects/%d/import?return_task_ids=true" % P, raw=raw, ctype=ctype)
        self.require(e, 201)
        t_csv = r.get("task_ids") or []
        self.expect(e, "TASKS_CREATED", P, task_ids=t_csv, count=len(t_csv) or 3)

        e, r = self.step("create single task (POST /api/tasks/)", "POST", "/api/tasks/",
                         {"project": P, "data": {"text": "Heidi manages Umbrella."}, "meta": {"origin": "api"}})
        self.require(e, 201)
        t_single = r["id"]
        self.expect(e, "TASKS_CREATED", P, task_ids=[t_single], count=1)

        e, r = self.step("create task via project tasks list (POST /api/projects/<id>/tasks/)", "POST",
                         "/api/projects/%d/tasks/" % P, {"data": {"text": "Ivan owns Stark."}})
        t_proj = None
        if e["status"] == 201:
            t_proj = r["id"]
            self.expect(e, "TASKS_CREATED", P, task_ids=[t_proj], count=1)
        all_tasks = t_json + t_csv + [t_single] + ([t_proj] if t_proj else [])
        if len(all_tasks) < 8:
            raise HarnessError("expected at least 8 tasks, got %s" % all_tasks)
        T = all_tasks

        # --- annotations -------------------------------------------------------
        e, r = self.step("create annotation (text project, all text controls)", "POST",
                         "/api/tasks/%d/annotations/" % T[0], {"result": text_result(), "lead_time": 12.5})
        self.require(e, 201)
        A1 = r["id"]
        self.expect(e, "ANNOTATION_CREATED", P, task_ids=[T[0]], annotation_ids=[A1])

        e, r = self.step("skip task (annotation with was_cancelled=true)", "POST",
                         "/api/tasks/%d/annotations/" % T[1], {"result": [], "was_cancelled": True,
                                                               "lead_time": 1.0})
        self.require(e, 201)
        A2 = r["id"]
        self.facts["skip_was_cancelled_in_response"] = r.get("was_cancelled")
        self.expect(e, "ANNOTATION_CREATED", P, task_ids=[T[1]], annotation_ids=[A2], was_cancelled=True)

        e, r = self.step("update annotation with PUT", "PUT", "/api/annotations/%d/" % A1,
                         {"result": text_result(1), "lead_time": 20.0})
        self.require(e, 200)
        self.expect(e, "ANNOTATION_UPDATED", P, task_ids=[T[0]], annotation_ids=[A1])

        e, r = self.step("update annotation with PATCH (ground_truth)", "PATCH", "/api/annotations/%d/" % A1,
                         {"ground_truth": True})
        self.require(e, 200)
        self.expect(e, "ANNOTATION_UPDATED", P, task_ids=[T[0]], annotation_ids=[A1])

        e, r = self.step("create annotation to delete", "POST", "/api/tasks/%d/annotations/" % T[2],
                         {"result": text_result()[3:4]})
        self.require(e, 201)
        A3 = r["id"]
        self.expect(e, "ANNOTATION_CREATED", P, task_ids=[T[2]], annotation_ids=[A3])

        e, r = self.step("delete single annotation", "DELETE", "/api/annotations/%d/" % A3)
        self.require(e, 204)
        self.expect(e, "ANNOTATIONS_DELETED", P, annotation_ids=[A3], count=1)

        # --- predictions -> annotations ---------------------------------------------
        pred_tasks = [T[4], T[5]]
        # two predictions on the first task: ANNOTATIONS_CREATED then carries
        # one task object per annotation
        for i, t in enumerate([T[4], T[4], T[5]]):
            choice = dict(text_result()[3], id="pred_%d" % i, score=0.9 - i / 10)
            ner = dict(text_result()[0], id="predner_%d" % i)
            choice.pop("origin", None)
            ner.pop("origin", None)
            e, r = self.step("create prediction %d on task %d" % (i, t), "POST", "/api/predictions/",
                             {"task": t, "model_version": "harness-v1", "score": 0.87 - i / 10,
                              "result": [choice, ner]})
            self.require(e, 201)
            # no webhook action exists for predictions
        e, r = self.step("Data Manager predictions_to_annotations", "POST",
                         "/api/dm/actions?id=predictions_to_annotations&project=%d" % P,
                         dict(self.dm_items(pred_tasks), model_version="harness-v1"))
        self.require(e, 200)
        conv = []
        for t in pred_tasks:
            st, anns = self.http("GET", "/api/tasks/%d/annotations/" % t)
            conv += [a["id"] for a in (anns or [])]
        self.expect(e, "ANNOTATIONS_CREATED", P, task_ids=pred_tasks, annotation_ids=conv, count=len(conv))

        e, r = self.step("Data Manager delete_tasks_annotations", "POST",
                         "/api/dm/actions?id=delete_tasks_annotations&project=%d" % P, self.dm_items(pred_tasks))
        self.require(e, 200)
        self.expect(e, "ANNOTATIONS_DELETED", P, annotation_ids=conv, count=len(conv))

        # --- labels and label links --------------------------------------------------
        self.labels_scenario(P)

        # --- one project per control family ------------------------------------------
        self.type_results = {}
        for key, title, config, data, result_fn, route in TYPE_PROJECTS:
            self.type_project(key, title, config, data, result_fn, route)

        # --- ML backend: auto webhook + START_TRAINING ---------------------------------
        e, r = self.step("connect ML backend (recorder stub)", "POST", "/api/ml/",
                         {"project": P, "url": self.rec, "title": "harness stub",
                          "description": "lswebhook recorder"})
        ml_id = r.get("id") if isinstance(r, dict) else None
        self.facts["ml_connect_status"] = e["status"]
        if e["status"] == 201 and ml_id:
            st, hooks = self.http("GET", "/api/webhooks/?project=%d" % P)
            hooks = hooks if isinstance(hooks, list) else (hooks or {}).get("results", [])
            auto = [h for h in hooks if str(h.get("url", "")).rstrip("/") == self.rec + "/webhook"]
            self.facts["ml_auto_webhook"] = summarize(auto)
            if auto:
                self.project_hooks[P].append("ml")
                self.webhooks.append({"id": auto[0]["id"], "tag": "ml", "project": P,
                                      "send_payload": auto[0].get("send_payload"),
                                      "created_via": "ML backend connect (auto)", "url_path": "/webhook",
                                      "headers": auto[0].get("headers")})
            else:
                self.note("no ML auto webhook was created")
            e, r = self.step("start training (POST /api/ml/<id>/train)", "POST", "/api/ml/%d/train" % ml_id,
                             {"use_ground_truth": False})
            if self.in_catalogue("START_TRAINING"):
                self.expect(e, "START_TRAINING", P, hooks=["ml"])
            else:
                self.legacy_training_step(e, P)
            st, mlstate = self.http("GET", "/api/ml/%d" % ml_id)
            self.facts["ml_state_after_train"] = {k: mlstate.get(k) for k in ("state", "error_message")} \
                if isinstance(mlstate, dict) else mlstate
        else:
            self.note("ML backend connection refused: %s %s" % (e["status"], json.dumps(e["response"])[:300]))

        # Asks the ML backend (the recorder stub) for predictions: POST /predict.
        e, r = self.step("Data Manager retrieve_tasks_predictions (probe)", "POST",
                         "/api/dm/actions?id=retrieve_tasks_predictions&project=%d" % P, self.dm_items([T[6]]))

        # PUT clears created_by (seen on 1.23.2), after which connecting an ML
        # backend fails (setup reads project.created_by.auth_token): do it late.
        e, r = self.step("PUT project (full update)", "PUT", "/api/projects/%d/" % P,
                         {"title": "Harness text (put)", "description": "put by harness",
                          "label_config": TEXT_CONFIG})
        if e["status"] == 200:
            self.expect(e, "PROJECT_UPDATED", P)
        else:
            self.note("PUT project refused: %s %s" % (e["status"], json.dumps(e["response"])[:400]))
        st, proj = self.http("GET", "/api/projects/%d/" % P)
        self.facts["put_project"] = {"status": e["status"], "deliveries": len(e["received_seq"]),
                                     "created_by_after_put": proj.get("created_by") if isinstance(proj, dict)
                                     else None}
        if e["status"] == 200 and isinstance(proj, dict) and proj.get("created_by") is None:
            self.finding("PUT /api/projects/<id>/ sets the project's created_by to null (later PROJECT_* bodies "
                         "carry \"created_by\": null)")

        # --- probes for open questions: expected to emit nothing ---------------
        e, r = self.step("Data Manager delete_tasks_predictions (probe)", "POST",
                         "/api/dm/actions?id=delete_tasks_predictions&project=%d" % P, self.dm_items(pred_tasks))
        e, r = self.step("PATCH task (probe, no task-updated action exists)", "PATCH", "/api/tasks/%d/" % T[6],
                         {"data": {"text": "Ivan owns Stark Industries."}})
        e, r = self.step("DELETE /api/projects/<id>/annotations/ (probe)", "DELETE",
                         "/api/projects/%d/annotations/" % P)

        # --- task deletions --------------------------------------------------------
        e, r = self.step("delete single task", "DELETE", "/api/tasks/%d/" % T[0])
        self.require(e, 204)
        self.expect(e, "TASKS_DELETED", P, task_ids=[T[0]], count=1)

        e, r = self.step("Data Manager delete_tasks (2 tasks)", "POST",
                         "/api/dm/actions?id=delete_tasks&project=%d" % P, self.dm_items([T[1], T[2]]))
        self.require(e, 200)
        self.expect(e, "TASKS_DELETED", P, task_ids=[T[1], T[2]], count=2)

        remaining = [t for t in T if t not in (T[0], T[1], T[2])]
        e, r = self.step("delete all tasks (DELETE /api/projects/<id>/tasks/)", "DELETE",
                         "/api/projects/%d/tasks/" % P)
        self.require(e, 204)
        self.expect(e, "TASKS_DELETED", None, org_only=True, task_ids=sorted(remaining), count=len(remaining),
                    payload_has_project=False)

        # --- webhook state before deleting the project ---------------------------
        st, hooks = self.http("GET", "/api/webhooks/")
        self.facts["webhooks_before_project_delete"] = [
            {k: h.get(k) for k in ("id", "project", "url", "send_payload", "send_for_all_actions", "is_active",
                                   "headers", "consecutive_failures") if k in h}
            for h in (hooks if isinstance(hooks, list) else [])]
        if isinstance(hooks, list) and hooks:
            self.facts["webhook_object_keys"] = sorted(hooks[0].keys())

        e, r = self.step("delete project", "DELETE", "/api/projects/%d/" % P)
        self.facts["delete_project_status"] = e["status"]
        self.expect(e, "PROJECT_DELETED", P, org_only=True)

    def legacy_training_step(self, e, P):
        """START_TRAINING absent from the catalogue: record how training reached the backend."""
        seen = []
        for q in e["received_seq"]:
            with open(os.path.join(self.a.record_dir, "%06d.meta.json" % q)) as f:
                meta = json.load(f)
            path = meta["path"].split("?", 1)[0].rstrip("/")
            try:
                obj = json.loads(self.read_body(q))
            except ValueError:
                obj = None
            action = obj.get("action") if isinstance(obj, dict) else None
            seen.append({"path": path, "action": action,
                         "top_level_keys": sorted(obj) if isinstance(obj, dict) else None})
            if path == "/webhook" and action:
                # 1.13 and 1.17 send START_TRAINING although their catalogue
                # does not list it; 1.4 sends PROJECT_UPDATED.
                self.expect(e, action, P, hooks=["ml"], force=True)
        self.facts["training_request"] = seen
        for x in seen:
            if x["path"] == "/train":
                self.finding("POST /api/ml/<id>/train makes the server POST <ML backend>/train with a body without "
                             "\"action\" (members %s; \"project\" is \"<id>.<unix time>\"), not a webhook event"
                             % ", ".join(x["top_level_keys"] or []))
            elif x["action"] and x["action"] != "START_TRAINING":
                self.finding("POST /api/ml/<id>/train makes the server POST a %s event (members %s) to "
                             "<ML backend>/webhook, not START_TRAINING" % (x["action"], ", ".join(x["top_level_keys"] or [])))
            elif x["action"] == "START_TRAINING":
                self.finding("START_TRAINING is sent to <ML backend>/webhook although GET /api/webhooks/info/ "
                             "does not list it")
        if not any(x["action"] == "START_TRAINING" for x in seen):
            self.unproducible("START_TRAINING", "not in this release's action catalogue (GET /api/webhooks/info/); "
                              "training reaches the ML backend as: %s"
                              % (", ".join(sorted({"%s %s" % (x["path"], x["action"] or "(body without action)")
                                                   for x in seen})) or "nothing"))
        else:
            self.note("START_TRAINING was sent to the ML backend although GET /api/webhooks/info/ does not list it")
        kinds = sorted({"%s %s" % (x["path"], x["action"] or "(no action)") for x in seen})
        self.note("training request reached the ML backend as: %s" % (", ".join(kinds) or "nothing"))

    def labels_scenario(self, P):
        if not self.in_catalogue("LABEL_LINK_CREATED"):
            for a in ("LABEL_LINK_CREATED", "LABEL_LINK_UPDATED", "LABEL_LINK_DELETED"):
                self.unproducible(a, "not in this release's action catalogue (GET /api/webhooks/info/)")
            st, _ = self.http("GET", "/api/labels/")
            self.facts["labels_api_status"] = st
            return
        body = [{"project": P, "from_name": "sentiment", "title": "neutral", "value": "neutral",
                 "description": "harness label"},
                {"project": P, "from_name": "ner", "title": "LOC", "value": {"labels": ["LOC"]}}]
        e, r = self.step("create labels (POST /api/labels/, 2 labels, hooks active)", "POST", "/api/labels/", body)
        self.facts["labels_create_with_active_hooks"] = {"status": e["status"], "response": e["response"]}
        LP = P
        if e["status"] in (200, 201):
            links = self.label_links(P)
            self.expect(e, "LABEL_LINK_CREATED", P, label_link_ids=links, count=len(links))
        else:
            st, labels = self.http("GET", "/api/labels/")
            self.facts["labels_after_failed_create"] = summarize(labels)
            why = ("POST /api/labels/ answers HTTP %s (%s) whenever a matching webhook is active, and rolls the "
                   "labels back" % (e["status"], self.detail(e["response"])))
            self.unproducible("LABEL_LINK_CREATED", why)
            self.finding(why)
            self.note("POST /api/labels/ with an active matching webhook fails: %s %s -> LABEL_LINK_CREATED "
                      "cannot be produced; labels are created with every hook inactive instead"
                      % (e["status"], json.dumps(e["response"])[:300]))
            # Workaround: a project without project hooks, org hook switched off.
            e, r = self.step("create labels project", "POST", "/api/projects/",
                             {"title": "Harness labels", "label_config": TEXT_CONFIG})
            self.require(e, 201)
            LP = r["id"]
            self.expect(e, "PROJECT_CREATED", LP, org_only=True)
            org_ids = [h["id"] for h in self.webhooks if h["project"] is None]
            for hid in org_ids:
                e, r = self.step("deactivate organization webhook", "PATCH", "/api/webhooks/%d/" % hid,
                                 {"is_active": False})
                self.require(e, 200)
            saved_org, self.org_hooks = self.org_hooks, []
            e, r = self.step("create labels with no active hook (workaround)", "POST", "/api/labels/",
                             [dict(b, project=LP) for b in body])
            self.facts["labels_create_without_hooks"] = {"status": e["status"]}
            for hid in org_ids:
                e2, r2 = self.step("reactivate organization webhook", "PATCH", "/api/webhooks/%d/" % hid,
                                   {"is_active": True})
                self.require(e2, 200)
            self.org_hooks = saved_org
            if e["status"] not in (200, 201):
                self.note("labels could not be created even without hooks: %s" % e["status"])
                return
            self.create_project_hook(LP, "project")
        links = self.label_links(LP)
        if not links:
            self.note("no label links found for project %d" % LP)
            return
        e, r = self.step("update label link with PATCH", "PATCH", "/api/label_links/%d/" % links[0],
                         {"from_name": "sentiment"})
        if e["status"] == 200:
            self.expect(e, "LABEL_LINK_UPDATED", LP, label_link_ids=[links[0]])
        st, lnk = self.http("GET", "/api/label_links/%d/" % links[0])
        e, r = self.step("update label link with PUT", "PUT", "/api/label_links/%d/" % links[0],
                         {"project": LP, "label": lnk.get("label") if isinstance(lnk, dict) else None,
                          "from_name": "topic"})
        if e["status"] == 200:
            self.expect(e, "LABEL_LINK_UPDATED", LP, label_link_ids=[links[0]])
        e, r = self.step("delete label link", "DELETE", "/api/label_links/%d/" % links[-1])
        if e["status"] == 204:
            self.expect(e, "LABEL_LINK_DELETED", LP, label_link_ids=[links[-1]])

    def label_links(self, pid):
        st, lr = self.http("GET", "/api/label_links/?project=%d" % pid)
        items = lr.get("results", lr) if isinstance(lr, dict) else (lr or [])
        return sorted(l["id"] for l in items if isinstance(l, dict))

    def type_project(self, key, title, config, data, result_fn, route):
        e, r = self.step("create %s project" % key, "POST", "/api/projects/",
                         {"title": title, "label_config": config})
        if e["status"] != 201:
            self.note("%s project refused: %s %s" % (key, e["status"], json.dumps(e["response"])[:400]))
            self.type_results[key] = {"project": e["status"]}
            return
        pid = r["id"]
        self.expect(e, "PROJECT_CREATED", pid, org_only=True)
        self.create_project_hook(pid, "project")
        if route == "project_tasks":
            e, r = self.step("create %s task (POST /api/projects/<id>/tasks/)" % key, "POST",
                             "/api/projects/%d/tasks/" % pid, {"data": data})
            tid = r.get("id") if e["status"] == 201 else None
        else:
            e, r = self.step("import %s task" % key, "POST", "/api/projects/%d/import?return_task_ids=true" % pid,
                             [{"data": data}])
            tid = (r.get("task_ids") or [None])[0] if e["status"] == 201 else None
        if not tid:
            self.note("%s task refused: %s %s" % (key, e["status"], json.dumps(e["response"])[:400]))
            self.finding("importing the %s task is refused: HTTP %s %s" % (key, e["status"], self.detail(e["response"])))
            self.type_results[key] = {"project": 201, "task": e["status"]}
            return
        self.expect(e, "TASKS_CREATED", pid, task_ids=[tid], count=1)
        body = {"result": result_fn(), "lead_time": 3.25}
        if key == "image":
            body["ground_truth"] = True
        e, r = self.step("annotate %s task" % key, "POST", "/api/tasks/%d/annotations/" % tid, body)
        self.type_results[key] = {"project": 201, "task": 201, "annotation": e["status"]}
        if e["status"] == 201:
            self.expect(e, "ANNOTATION_CREATED", pid, task_ids=[tid], annotation_ids=[r["id"]],
                        result_types=sorted({x.get("type") for x in body["result"]}))
        else:
            self.note("%s annotation refused: %s %s" % (key, e["status"], json.dumps(e["response"])[:400]))
        if key == "pairwise":
            # Results are not validated against the labeling config when posted.
            e, r = self.step("annotation with a result that does not match the config (probe)", "POST",
                             "/api/tasks/%d/annotations/" % tid,
                             {"result": [{"id": "bogus_1", "from_name": "no_such_control",
                                          "to_name": "no_such_object", "type": "no_such_type",
                                          "value": {"whatever": [1, 2, 3]}}]})
            self.facts["unvalidated_result_status"] = e["status"]
            if e["status"] == 201:
                self.expect(e, "ANNOTATION_CREATED", pid, task_ids=[tid], annotation_ids=[r["id"]])

    # --------------------------------------------------------- output -----
    def finish(self):
        self.new_records()
        out = self.a.out
        os.makedirs(out, exist_ok=True)
        for old in (glob.glob(os.path.join(out, "[0-9][0-9][0-9]-*.json")) +
                    glob.glob(os.path.join(out, "ml-[0-9][0-9][0-9]-*.json"))):
            os.remove(old)

        captures = []
        legacy = []
        other_requests = []
        files_by_seq = {}
        n = 0
        for seq in range(1, self.seen_seq + 1):
            with open(os.path.join(self.a.record_dir, "%06d.meta.json" % seq)) as f:
                meta = json.load(f)
            raw = self.read_body(seq)
            tag = self.record_tag(meta)
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
            is_webhook = isinstance(obj, dict) and isinstance(obj.get("action"), str) and tag is not None
            path = meta["path"].split("?", 1)[0].rstrip("/")
            if not is_webhook and path == "/train" and isinstance(obj, dict):
                # Releases before START_TRAINING existed ask the ML backend to
                # train with their own body (no "action"): kept beside the
                # webhook captures, named ml-NNN-train.json.
                n_train = len(legacy) + 1
                fname = "ml-%03d-train.json" % n_train
                scrubbed = scrub(raw)
                with open(os.path.join(out, fname), "wb") as f:
                    f.write(scrubbed)
                step_idx = self.seq_step.get(seq)
                legacy.append({
                    "file": fname, "kind": "legacy_training", "recorder_seq": seq, "path": meta["path"],
                    "step": step_idx, "request": self.step_request(step_idx),
                    "headers": {k: v for k, v in meta["headers"]}, "bytes": len(scrubbed),
                    "sha256": hashlib.sha256(scrubbed).hexdigest(), "top_level_keys": list(obj.keys()),
                })
                continue
            if not is_webhook:
                other_requests.append({"seq": seq, "path": meta["path"], "step": self.seq_step.get(seq),
                                       "top_level_keys": sorted(obj.keys()) if isinstance(obj, dict) else None,
                                       "length": meta["length"]})
                continue
            n += 1
            action = obj["action"]
            fname = "%03d-%s-%s.json" % (n, action, tag)
            scrubbed = scrub(raw)
            with open(os.path.join(out, fname), "wb") as f:
                f.write(scrubbed)
            headers = {k: v for k, v in meta["headers"]}
            captures.append({
                "file": fname, "seq": n, "recorder_seq": seq, "action": action, "hook": tag,
                "path": meta["path"], "step": self.seq_step.get(seq),
                "request": self.step_request(self.seq_step.get(seq)),
                "headers": headers, "bytes": len(scrubbed),
                "sha256": hashlib.sha256(scrubbed).hexdigest(),
                "top_level_keys": list(obj.keys()),
                "ids": payload_ids(obj),
            })
            files_by_seq[seq] = fname

        # per-step check and step -> files
        cap_by_step = collections.defaultdict(list)
        for c in captures:
            cap_by_step[c["step"]].append(c)
        problems = []
        for s in self.steps:
            s["captured"] = [files_by_seq[q] for q in s.pop("received_seq") if q in files_by_seq]
            want = collections.Counter((x["action"], h) for x in s["expected"] for h in x["hooks"])
            got = collections.Counter((c["action"], c["hook"]) for c in cap_by_step.get(s["index"], []))
            missing = sorted((want - got).elements())
            extra = sorted((got - want).elements())
            id_issues = []
            for x in s["expected"]:
                for c in cap_by_step.get(s["index"], []):
                    if c["action"] != x["action"] or c["hook"] == "nopayload":
                        continue
                    id_issues += compare_ids(x, c)
            null_ids = [i[len("NULL-IDS: "):] for i in id_issues if i.startswith("NULL-IDS: ")]
            id_issues = [i for i in id_issues if not i.startswith("NULL-IDS: ")]
            check = {"ok": not missing and not extra and not id_issues}
            if null_ids:
                check["null_ids"] = null_ids
                self.finding("%s (%s) sends ANNOTATIONS_CREATED with \"id\": null on every annotation "
                             "(Django bulk_create on SQLite leaves primary keys unset)"
                             % (s["request"]["path"].split("&")[0], s["name"]))
            if missing:
                check["missing"] = ["%s@%s" % m for m in missing]
            if extra:
                check["unexpected"] = ["%s@%s" % m for m in extra]
            if id_issues:
                check["id_mismatch"] = id_issues
            s["check"] = check
            if not check["ok"]:
                problems.append("step %d %r: %s" % (s["index"], s["name"], json.dumps(
                    {k: v for k, v in check.items() if k != "ok"})))

        expected_actions = sorted({x["action"] for s in self.steps for x in s["expected"]})
        captured_counts = collections.Counter(c["action"] for c in captures)
        by_hook = collections.Counter("%s@%s" % (c["action"], c["hook"]) for c in captures)
        missing_actions = [a for a in expected_actions if a not in captured_counts]
        all_actions = [a for a in (self.webhooks_info or {})] if isinstance(self.webhooks_info, dict) else []
        for a in all_actions:
            if a not in captured_counts and a not in self.not_producible:
                self.not_producible[a] = "no REST call the driver makes on this release sent it"
        manifest = {
            "label_studio_version": self.a.ls_version,
            "server": {"python": self.a.python_version, "extra_pins": self.a.extra_pins.split(),
                       "start_notes": json.loads(self.a.start_notes)},
            "generated_by": "conformance/run.sh (conformance/driver.py)",
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "server_settings": SERVER_SETTINGS,
            "hook_header": HOOK_HEADER,
            "hooks": self.webhooks,
            "user_id": self.user_id,
            "package_facts": self.facts,
            "webhooks_info": self.webhooks_info,
            "type_projects": self.type_results,
            "steps": self.steps,
            "captures": captures,
            "legacy_training": legacy,
            "other_recorder_requests": other_requests,
            "summary": {
                "expected_actions": expected_actions,
                "captured_action_counts": dict(sorted(captured_counts.items())),
                "captured_by_action_and_hook": dict(sorted(by_hook.items())),
                "catalogue_actions_never_captured": [a for a in all_actions if a not in captured_counts],
                "missing_actions": missing_actions,
                "not_producible": dict(sorted(self.not_producible.items())),
                "findings": self.findings,
                "step_problems": problems,
                "notes": self.notes,
            },
        }
        with open(os.path.join(out, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=False)
            f.write("\n")

        print("captured %d webhook bodies and %d legacy training bodies into %s" % (len(captures), len(legacy), out))
        for a, why in sorted(self.not_producible.items()):
            print("  not producible: %s: %s" % (a, why))
        for a, c in sorted(captured_counts.items()):
            print("  %-22s %d" % (a, c))
        for p in problems:
            print("  CHECK: " + p)
        for a in missing_actions:
            print("MISSING ACTION: " + a)
        return 1 if missing_actions else 0


SERVER_SETTINGS = {
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true (and --enable-legacy-api-token)",
    "SSRF_PROTECTION_ENABLED": "false",
    "ML_BLOCK_LOCAL_IP": "false",
    "LATEST_VERSION_CHECK": "false",
    "APP_WEBSERVER": "uwsgi (skips the start-up version check, hard-coded on before 1.23)",
    "COLLECT_ANALYTICS": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "WEBHOOK_TIMEOUT": "5",
    "DJANGO_DB": "sqlite (fresh temporary data dir)",
    "command": "label-studio start --no-browser --internal-host 127.0.0.1 --port <free> --data-dir <tmp> "
               "--username admin@example.com --password *** --user-token *** --enable-legacy-api-token",
}


def urllib_status_noauth(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:  # noqa
        return str(e)


def _ids(v):
    if isinstance(v, dict):
        return [v.get("id")]
    if isinstance(v, list):
        return [x.get("id") for x in v if isinstance(x, dict)]
    return []


def payload_ids(obj):
    action = obj.get("action")
    key = ACTION_KEY.get(action)
    out = {}
    if key and key in obj:
        out[key] = _ids(obj[key])
    if "task" in obj:
        out["task"] = _ids(obj["task"])
    if "project" in obj and key != "project":
        out["project"] = _ids(obj["project"])
    return out


def _sorted_ids(ids):
    # ids may hold None: 1.7-1.13 on SQLite send bulk-created annotations with "id": null
    return sorted(ids or [], key=lambda x: (x is None, x if isinstance(x, int) else 0))


def compare_ids(exp, cap):
    """Compare expected ids with the ids in one captured payload."""
    issues = []
    sorted = _sorted_ids  # noqa: A001
    ids = cap["ids"]
    action = exp["action"]
    key = ACTION_KEY.get(action)
    where = "%s@%s" % (cap["file"], cap["hook"])
    if key == "tasks" and "task_ids" in exp:
        if sorted(ids.get("tasks", [])) != sorted(exp["task_ids"]):
            issues.append("%s tasks %s != %s" % (where, ids.get("tasks"), exp["task_ids"]))
    if key in ("annotation", "annotations") and "annotation_ids" in exp:
        got = ids.get(key, [])
        if got and all(x is None for x in got) and len(got) == len(exp["annotation_ids"]):
            # Django's bulk_create on SQLite leaves primary keys unset
            # (1.7-1.13): the right number of annotations, every id null.
            issues.append("NULL-IDS: %s %s has %d annotations, every id null (expected ids %s)"
                          % (where, key, len(got), exp["annotation_ids"]))
        elif sorted(got) != sorted(exp["annotation_ids"]):
            issues.append("%s %s %s != %s" % (where, key, ids.get(key), exp["annotation_ids"]))
    if key == "label_link" and "label_link_ids" in exp:
        if sorted(ids.get(key, [])) != sorted(exp["label_link_ids"]):
            issues.append("%s label_link %s != %s" % (where, ids.get(key), exp["label_link_ids"]))
    if key == "project" and exp.get("project_id") is not None:
        if ids.get("project") != [exp["project_id"]]:
            issues.append("%s project %s != %s" % (where, ids.get("project"), exp["project_id"]))
    if key != "project" and exp.get("project_id") is not None:
        if ids.get("project") not in (None, [exp["project_id"]]):
            issues.append("%s project %s != %s" % (where, ids.get("project"), exp["project_id"]))
    if exp.get("payload_has_project") is False and "project" in cap["top_level_keys"]:
        issues.append("%s has a project key" % where)
    return issues


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ls-url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--recorder-url", required=True)
    ap.add_argument("--record-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ls-version", required=True)
    ap.add_argument("--ls-package", required=True)
    ap.add_argument("--venv-python", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--server-log", default=None)
    ap.add_argument("--python-version", default=None)
    ap.add_argument("--extra-pins", default="")
    ap.add_argument("--start-notes", default="[]")
    args = ap.parse_args()
    d = Driver(args)
    d.user_id = None
    d.webhooks_info = None
    d.type_results = {}
    try:
        d.run()
    except HarnessError as e:
        print("HARNESS ERROR: %s" % e, file=sys.stderr)
        rc = d.finish()
        return 2
    return d.finish()


if __name__ == "__main__":
    sys.exit(main())
