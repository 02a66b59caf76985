#!/usr/bin/env bash
# Deploys the web portal: builds web/ (npm ci, npm run build), writes dist/config.json from the
# stack's outputs, uploads dist/ to the portal's bucket and invalidates the CloudFront distribution.
# Safe to run again: files that left the build are deleted from the bucket, after the new
# index.html is in place (a page still open keeps finding the assets it names until then).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

usage="usage: infra/scripts/deploy-portal.sh [--stack NAME] [--dist DIR]

Stack NAME defaults to \$DEWY_STACK or dewy-resort. Without --dist, web/ is built (npm ci, npm run
build) and web/dist is uploaded; with it, DIR (a build made elsewhere) is uploaded as it is."

stack="${DEWY_STACK:-dewy-resort}"
web="$here/../../web"
dist=""
while (($#)); do
  case "$1" in
    --stack) stack="${2:?$usage}"; shift 2 ;;
    --dist) dist="${2:?$usage}"; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) die "$usage" ;;
  esac
done
need aws "the AWS CLI (https://aws.amazon.com/cli/)"
need python3 "to write config.json"

if [[ -z "$dist" ]]; then
  need npm "Node.js 20 or later, to build web/"
  [[ -r "$web/package.json" ]] || die "no web app at $web (no package.json)"
  echo "building the portal (web/: npm ci, npm run build)"
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
  npm run build --prefix "$web"
  dist="$web/dist"
fi
[[ -r "$dist/index.html" ]] || die "$dist has no index.html: is it the portal's build?"

api_url=$(stack_output "$stack" ApiUrl)
pool=$(stack_output "$stack" UserPoolId)
client=$(stack_output "$stack" WebClientId)
auth_domain=$(stack_output "$stack" AuthDomain)
bucket=$(stack_output "$stack" PortalBucketName)
distribution=$(stack_output "$stack" PortalDistributionId)
# A user pool id is "<region>_<id>". The issuer is the one the API's JWT authorizer checks:
# https://cognito-idp.<region>.<URL suffix of the partition, as in ApiUrl>/<pool>.
region=${pool%%_*}
suffix=amazonaws.com
if [[ "$api_url" == *".execute-api.$region."* ]]; then
  suffix=${api_url#*".execute-api.$region."}
  suffix=${suffix%%/*}
fi

# What the portal reads at start (docs/portal.md): the API, the issuer, the web app client, the
# scopes it asks for, and Cognito's sign-out endpoint on the managed-login domain.
python3 - "$dist/config.json" "${api_url%/}" "https://cognito-idp.$region.$suffix/$pool" "$client" \
  "${auth_domain%/}/logout" <<'PY'
import json, sys
path, api_url, authority, client_id, logout_url = sys.argv[1:]
config = {
    "apiUrl": api_url,
    "authority": authority,
    "clientId": client_id,
    "scope": "openid email",
    "logoutUrl": logout_url,
}
with open(path, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
PY
echo "config.json: $(tr -d '\n ' <"$dist/config.json")"

# Hashed assets never change under their name: cached for a year. Everything else is revalidated
# on every load, so a new deployment shows at once.
immutable="public, max-age=31536000, immutable"
quiet=(--only-show-errors)
if [[ -d "$dist/assets" ]]; then
  aws s3 sync "$dist/assets" "s3://$bucket/assets" --cache-control "$immutable" "${quiet[@]}"
fi
aws s3 sync "$dist" "s3://$bucket" --delete --cache-control no-cache \
  --exclude 'assets/*' --exclude index.html --exclude config.json "${quiet[@]}"
aws s3 cp "$dist/config.json" "s3://$bucket/config.json" --cache-control no-cache \
  --content-type application/json "${quiet[@]}"
aws s3 cp "$dist/index.html" "s3://$bucket/index.html" --cache-control no-cache \
  --content-type "text/html; charset=utf-8" "${quiet[@]}"
if [[ -d "$dist/assets" ]]; then
  aws s3 sync "$dist/assets" "s3://$bucket/assets" --delete --cache-control "$immutable" "${quiet[@]}"
else
  aws s3 rm "s3://$bucket/assets" --recursive "${quiet[@]}"
fi
echo "uploaded $dist to s3://$bucket"

invalidation=$(aws cloudfront create-invalidation --distribution-id "$distribution" --paths '/*' \
  --query Invalidation.Id --output text)
echo "CloudFront distribution $distribution: invalidation $invalidation of /* (it takes a minute or two)"
echo "portal: $(stack_output "$stack" PortalUrl)"
