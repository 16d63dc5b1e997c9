#!/usr/bin/env python3
"""Create an organization-level webhook (project = NULL) directly through the ORM.

Label Studio 1.23.x refuses `"project": null` on POST /api/webhooks/ ("Project
not found."), although delivery still supports organization-level hooks. The
upstream tests create them through the ORM; this does the same.

Run with the Label Studio virtualenv's python and the server's environment
(LABEL_STUDIO_BASE_DATA_DIR, DJANGO_DB). Prints {"id": N} on success.

Usage: orm_org_webhook.py --url URL --tag TAG [--header-name X-Harness-Hook]
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--header-name", default="X-Harness-Hook")
    args = ap.parse_args()

    import label_studio

    sys.path.insert(0, os.path.dirname(label_studio.__file__))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.label_studio")
    import django

    django.setup()
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


if __name__ == "__main__":
    main()
