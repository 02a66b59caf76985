# Helpers the deploy scripts share: sourced by them, not run.

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

# need COMMAND WHY: fail early, naming what is missing, rather than halfway through.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required: $2"
}

# stack_output STACK KEY: one output of the deployed stack (the aws CLI's region and profile apply).
stack_output() {
  local value
  value=$(aws cloudformation describe-stacks --stack-name "$1" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]" --output text) ||
    die "cannot read the outputs of stack $1: is it deployed, in this region (AWS_REGION) and account?"
  [[ -n "$value" && "$value" != "None" ]] || die "stack $1 has no output $2"
  printf '%s' "$value"
}
