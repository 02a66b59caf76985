"""Lints template.yaml as CloudFormation receives it: after the SAM transform.

cfn-lint and `sam validate --lint` check a SAM template as written, against SAM's schemas. What the
transform generates from it (the API's definition from the functions' events, roles, permissions)
goes unchecked there: a function whose environment names the API that routes to it, for one, is a
circular dependency that only the transformed template shows, and that CloudFormation refuses at
deploy time. This runs the transform offline, with the translator SAM CLI itself uses, and lints
the result.

Usage: python template_lint_transformed.py template.yaml
"""

import json
import os
import sys

from cfnlint.api import ManualArgs, lint
from cfnlint.decode import decode
from samtranslator.translator.transform import transform

# The transform only needs CodeUri to name the uploaded code: any S3 location will do.
PLACEHOLDER_CODE = "s3://placeholder/code.zip"

# Every finding counts: none is ignored.
IGNORED = []


class NoManagedPolicies:
    """The template names no AWS managed policy by name, so the translator needs no IAM lookup."""

    def load(self):
        return {}


def main(path):
    # The translator resolves AWS::Region; the value does not matter to the lint.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    template, problems = decode(path)
    if problems:
        for problem in problems:
            print(problem)
        return 1
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and "CodeUri" in properties:
            properties["CodeUri"] = PLACEHOLDER_CODE
    transformed = transform(template, {}, NoManagedPolicies())
    findings = lint(json.dumps(transformed), config=ManualArgs(regions=["us-east-1"], ignore_checks=IGNORED))
    for finding in findings:
        print(f"{finding.rule.id} {finding.message} (transformed template, resource path {finding.path})")
    print(f"{path} after the SAM transform: {len(transformed['Resources'])} resources, {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
