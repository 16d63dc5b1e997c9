#!/usr/bin/env python3
"""Database changes the REST API cannot make, done through Label Studio's ORM.

Run with the Label Studio virtualenv's python and the server's environment
(LABEL_STUDIO_BASE_DATA_DIR, DJANGO_DB), while or after the server runs.

Commands:
  org-webhook --url URL --tag TAG [--header-name X-Harness-Hook]
      Create an organization-level webhook (project = NULL). From 1.20 the
      REST API refuses `"project": null` ("Project not found."), although
      delivery still supports organization-level hooks; the upstream tests
      create them through the ORM, and so does this. Prints {"id": N}.
  enable-legacy-tokens
      Switch legacy API tokens on for every organization (releases with
      personal access tokens, where the setting lives in the database:
      JWTSettings.legacy_api_tokens_enabled). Prints what it changed.
"""
import argparse
import json
import os
import sys


def setup():
    import label_studio

    sys.path.insert(0, os.path.dirname(label_studio.__file__))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.label_studio")
    import django

    django.setup()


def org_webhook(args):
    from organizations.models import Organization
    from webhooks.models import Webhook

    wh = Webhook.objects.create(
        organization=Organization.objects.order_by("id").first(),
        project=None,
        url=args.url,
        send_payload=True,
        send_for_all_actions=True,
        is_active=True,
        headers={args.header_name: args.tag},
    )
    print(json.dumps({"id": wh.id}))


def enable_legacy_tokens(_args):
    from organizations.models import Organization

    try:
        from jwt_auth.models import JWTSettings
    except ImportError:
        print("no jwt_auth.models.JWTSettings in this release: nothing to do")
        return
    changed = []
    for org in Organization.objects.all():
        s, _ = JWTSettings.objects.get_or_create(organization=org)
        if not s.legacy_api_tokens_enabled:
            s.legacy_api_tokens_enabled = True
            s.save()
            changed.append(org.id)
    print("JWTSettings.legacy_api_tokens_enabled set to True for organizations %s" % changed)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("org-webhook")
    p.add_argument("--url", required=True)
    p.add_argument("--tag", required=True)
    p.add_argument("--header-name", default="X-Harness-Hook")
    sub.add_parser("enable-legacy-tokens")
    args = ap.parse_args()
    setup()
    {"org-webhook": org_webhook, "enable-legacy-tokens": enable_legacy_tokens}[args.cmd](args)


if __name__ == "__main__":
    main()
