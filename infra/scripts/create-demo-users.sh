#!/usr/bin/env bash
# Creates the demo users (infra/demo-users.json: the local issuer's users) in the stack's Cognito
# user pool, each with the shared demo password, confirmed, in its groups. Safe to run again: users
# that exist are left as they are (password included) and only their group memberships are ensured.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

usage="usage: infra/scripts/create-demo-users.sh [--stack NAME] [--users FILE]

Stack NAME defaults to \$DEWY_STACK or dewy-resort; FILE to infra/demo-users.json. The password is
the file's, unless DEMO_PASSWORD is set."

stack="${DEWY_STACK:-dewy-resort}"
users_file="$here/../demo-users.json"
while (($#)); do
  case "$1" in
    --stack) stack="${2:?$usage}"; shift 2 ;;
    --users) users_file="${2:?$usage}"; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) die "$usage" ;;
  esac
done
need aws "the AWS CLI (https://aws.amazon.com/cli/)"
need python3 "to read $users_file"
[[ -r "$users_file" ]] || die "cannot read $users_file"

pool=$(stack_output "$stack" UserPoolId)
password="${DEMO_PASSWORD:-$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["password"])' "$users_file")}"
# One line per user: the email, then its groups.
users=$(python3 -c '
import json, sys
for user in json.load(open(sys.argv[1]))["users"]:
    print(" ".join([user["email"], *user["groups"]]))
' "$users_file")

# What the pool already has, read once (a few list calls, not several per user): users by email
# (the pool signs in by email; usernames are generated), and "group email" memberships. The groups
# belong to the stack (the template makes them): a missing one means the wrong pool.
emails() { tr '\t' '\n'; }
email_query="Users[].Attributes[?Name=='email'].Value[]"
in_pool=$(aws cognito-idp list-users --user-pool-id "$pool" --query "$email_query" --output text | emails)
memberships=""
for group in $(cut -d' ' -f2- <<<"$users" | tr ' ' '\n' | sort -u); do
  members=$(aws cognito-idp list-users-in-group --user-pool-id "$pool" --group-name "$group" \
    --query "$email_query" --output text) || die "user pool $pool has no group $group: is $stack the hotel's stack?"
  memberships+=$(emails <<<"$members" | sed "s/^/$group /")$'\n'
done

created=0 existing=0
# fd 3, so that nothing the loop runs can read the list.
while read -r -u 3 email groups; do
  if grep -qxF "$email" <<<"$in_pool"; then
    existing=$((existing + 1))
    state=exists
  else
    # SUPPRESS: no invitation email; the address is marked verified so sign-in needs no code. The
    # password is the demo's, public anyway.
    aws cognito-idp admin-create-user --user-pool-id "$pool" --username "$email" --message-action SUPPRESS \
      --user-attributes Name=email,Value="$email" Name=email_verified,Value=true >/dev/null
    aws cognito-idp admin-set-user-password --user-pool-id "$pool" --username "$email" \
      --password "$password" --permanent
    created=$((created + 1))
    state=created
  fi
  for group in $groups; do
    grep -qxF "$group $email" <<<"$memberships" ||
      aws cognito-idp admin-add-user-to-group --user-pool-id "$pool" --username "$email" --group-name "$group"
  done
  echo "$email: $state, in $groups"
done 3<<<"$users"
echo "user pool $pool: $created created, $existing already there"
