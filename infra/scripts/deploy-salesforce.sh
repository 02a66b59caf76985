#!/usr/bin/env bash
# Sets a Salesforce org up for the hotel: deploys the metadata of infra/salesforce (objects, fields,
# picklist values, the Dewy_Resort_Integration permission set), assigns the permission set, and
# imports the demo data into an org that has none. Safe to run again: the deploy is idempotent,
# existing assignments are kept, and the seed is skipped once the org has rooms.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

usage="usage: infra/scripts/deploy-salesforce.sh --target-org ALIAS [--integration-user USERNAME]
                                         [--skip-seed] [--today YYYY-MM-DD]

ALIAS is an org the Salesforce CLI is logged in to (sf org login web --alias ALIAS). The permission
set goes to that org's user (who imports the seed, which needs it) and to USERNAME, the user the
connected app runs as. The seed's dates are relative to --today (default: today, UTC)."

org="" integration_user="" seed=yes today=""
while (($#)); do
  case "$1" in
    --target-org) org="${2:?$usage}"; shift 2 ;;
    --integration-user) integration_user="${2:?$usage}"; shift 2 ;;
    --skip-seed) seed=""; shift ;;
    --today) today="${2:?$usage}"; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) die "$usage" ;;
  esac
done
[[ -n "$org" ]] || die "$usage"
need sf "the Salesforce CLI (https://developer.salesforce.com/tools/salesforcecli)"
need python3 "to read the CLI's JSON and to generate the seed"
permission_set=Dewy_Resort_Integration

# json_field PATH: a field of the JSON on stdin, e.g. json_field result.totalSize.
json_field() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[key]
print(value)
' "$1"
}

count() {
  sf data query --target-org "$org" --query "$1" --json | json_field result.totalSize
}

assign() {
  local user=$1
  local quoted=${user//\'/\\\'} assigned
  assigned=$(count "SELECT COUNT() FROM PermissionSetAssignment WHERE PermissionSet.Name = '$permission_set' AND Assignee.Username = '$quoted'")
  if ((assigned)); then
    echo "$permission_set: already assigned to $user"
  else
    sf org assign permset --name "$permission_set" --on-behalf-of "$user" --target-org "$org"
  fi
}

echo "==> metadata (infra/salesforce) to $org"
(cd "$here/../salesforce" && sf project deploy start --source-dir force-app --target-org "$org" --wait 30)

echo "==> permission set $permission_set"
admin=$(sf org display --target-org "$org" --json | json_field result.username)
assign "$admin"
if [[ -n "$integration_user" && "$integration_user" != "$admin" ]]; then
  assign "$integration_user"
fi

[[ -n "$seed" ]] || exit 0
echo "==> demo data"
rooms=$(count "SELECT COUNT() FROM Hotel_Room__c")
if ((rooms)); then
  echo "the org already has $rooms rooms: seed skipped (delete them to import it again)"
  exit 0
fi
seed_dir=$(mktemp -d)
trap 'rm -rf "$seed_dir"' EXIT
python3 "$here/generate-seed.py" "$seed_dir" ${today:+--today "$today"}
(cd "$seed_dir" && sf data import tree --plan plan.json --target-org "$org")
