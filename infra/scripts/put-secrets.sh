#!/usr/bin/env bash
# Puts the backend credentials into the Secrets Manager secrets the stack created (empty until
# then), found through the stack's outputs. Values come from the environment, or are asked for
# without echoing; they reach the aws CLI on stdin, never on a command line (which `ps` shows).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

usage="usage: infra/scripts/put-secrets.sh [--stack NAME] [salesforce] [stripe] [twilio]

Sets the named secrets (all three when none is named) of stack NAME (default: \$DEWY_STACK or
dewy-resort). Each value is read from its environment variable, or asked for when that is unset:
  salesforce  SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, SALESFORCE_REFRESH_TOKEN (may be
              empty: the connected app's client-credentials flow is used then)
  stripe      STRIPE_API_KEY (a test key: sk_test_... or rk_test_...)
  twilio      TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM (the sending number, E.164)"

stack="${DEWY_STACK:-dewy-resort}"
secrets=()
while (($#)); do
  case "$1" in
    --stack) stack="${2:?$usage}"; shift 2 ;;
    salesforce | stripe | twilio) secrets+=("$1"); shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) die "$usage" ;;
  esac
done
((${#secrets[@]})) || secrets=(salesforce stripe twilio)
need aws "the AWS CLI (https://aws.amazon.com/cli/)"
need python3 "to write the secrets' JSON"

# ask VAR [optional]: VAR from the environment, else asked for on the terminal (not echoed).
ask() {
  local var=$1 optional=${2:-} value
  if [[ -z "${!var+set}" ]]; then
    [[ -t 0 ]] || die "$var is not set and there is no terminal to ask on"
    read -r -s -p "$var${optional:+ (Enter for none)}: " value
    echo >&2
    printf -v "$var" '%s' "$value"
  fi
  [[ -n "${!var}" || -n "$optional" ]] || die "$var must not be empty"
  export "${var?}"
}

# put OUTPUT KEY=VAR...: the JSON object {KEY: $VAR, ...} (empty values left out) as the secret's
# new value.
put() {
  local output=$1 arn version
  shift
  arn=$(stack_output "$stack" "$output")
  version=$(python3 -c '
import json, os, sys
pairs = (arg.split("=", 1) for arg in sys.argv[1:])
print(json.dumps({key: os.environ[var] for key, var in pairs if os.environ[var]}))
' "$@" | aws secretsmanager put-secret-value --secret-id "$arn" \
    --secret-string file:///dev/stdin --query VersionId --output text)
  echo "$output: stored (version $version)"
}

for secret in "${secrets[@]}"; do
  case "$secret" in
    salesforce)
      ask SALESFORCE_CLIENT_ID
      ask SALESFORCE_CLIENT_SECRET
      ask SALESFORCE_REFRESH_TOKEN optional
      put SalesforceSecretArn client_id=SALESFORCE_CLIENT_ID client_secret=SALESFORCE_CLIENT_SECRET \
        refresh_token=SALESFORCE_REFRESH_TOKEN
      ;;
    stripe)
      ask STRIPE_API_KEY
      [[ "$STRIPE_API_KEY" == [sr]k_test_* ]] ||
        echo "warning: STRIPE_API_KEY is not a test key (sk_test_/rk_test_): real cards will be charged" >&2
      put StripeSecretArn api_key=STRIPE_API_KEY
      ;;
    twilio)
      ask TWILIO_ACCOUNT_SID
      ask TWILIO_AUTH_TOKEN
      ask TWILIO_FROM
      put TwilioSecretArn account_sid=TWILIO_ACCOUNT_SID auth_token=TWILIO_AUTH_TOKEN from=TWILIO_FROM
      ;;
  esac
done
