# Sourced by the command-line test scripts (cli_test.sh, fault_test.sh): a scratch folder
# that is removed at exit, and the checks every case uses.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_code() {  # expect_code CODE COMMAND...: COMMAND exits CODE; its output in out.txt, err.txt
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local got=$?
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, expected $want"; }
}
# No temporary output (io::PendingFile's NAME.partial-*) is left in this folder.
no_temporaries() { ! compgen -G '*.partial-*' >/dev/null || fail "temporary files left: $(ls ./*.partial-*)"; }
