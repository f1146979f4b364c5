# helpers.bash - shared setup for the bats tests. Load with `load helpers`.
#
# The tests run the built binary ($SANDBOX, set by `make check`) as the
# ordinary user running the suite, and use the probes built beside it.

bats_load_library() { :; }
for lib in /usr/lib/bats/bats-support /usr/lib/bats/bats-assert \
	/usr/lib/bats-support /usr/lib/bats-assert; do
	if [ -f "$lib/load.bash" ]; then
		# shellcheck disable=SC1091
		source "$lib/load.bash"
	fi
done

bats_require_minimum_version 1.5.0

: "${SANDBOX:?run the tests through make check, which sets SANDBOX}"
: "${TOP_BUILDDIR:=$(dirname "$SANDBOX")}"
: "${TOP_SRCDIR:=$TOP_BUILDDIR}"
PROBES=$TOP_BUILDDIR/tests/probes

# sb ARGS... - run the sandbox (under bats' `run`, most of the time).
sb() {
	"$SANDBOX" "$@"
}

# sb_probe [OPTIONS...] -- PROBE [ARGS...] - run a probe from the build tree,
# bound read-only at the same path inside.
sb_probe() {
	"$SANDBOX" --ro-bind="$PROBES" "$@"
}

# has_subid_range - does the current user have a subordinate uid and gid range?
has_subid_range() {
	local user
	user=$(id -un)
	grep -qE "^($user|$(id -u)):" /etc/subuid 2>/dev/null &&
		grep -qE "^($user|$(id -u)):" /etc/subgid 2>/dev/null
}

# status_field NAME - a field (without its colon) of probe-status output in $output
status_field() {
	printf '%s\n' "$output" | awk -v k="$1:" '$1 == k { print $2 }'
}

# wait_for COMMAND... - retry COMMAND for up to 10 seconds
wait_for() {
	local i
	for i in $(seq 1 100); do
		if "$@"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# descendants PID - every process below PID, depth first
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}
