#!/usr/bin/env bats
# Running sandboxes: --name, sandbox list, sandbox enter, --info-fd, --json-status-fd.

load helpers

setup() {
	unset XDG_RUNTIME_DIR XDG_STATE_HOME
	REG=$HOME/.local/state/sandbox/run
	NAME=t$$-$BATS_TEST_NUMBER
	OUT=$BATS_TEST_TMPDIR
	BG=
}

teardown() {
	if [ -n "$BG" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
}

ns_ids() { # ns_ids PID - the namespace ids of PID, in list order
	local n
	for n in user mnt pid net ipc uts cgroup; do
		stat -L -c %i "/proc/$1/ns/$n"
	done
}

# start_named NAME [OPTIONS...] - a sandbox that records its namespaces and sleeps
start_named() {
	local name=$1
	shift
	"$SANDBOX" --name="$name" --ro-bind="$PROBES" --bind="$OUT" "$@" -- sh -c \
		'for n in user mnt pid net ipc uts cgroup; do stat -L -c %i /proc/self/ns/$n; done \
			>"$0/inside.tmp" && mv "$0/inside.tmp" "$0/inside"; exec sleep 100' "$OUT" \
		3>&- &
	BG=$!
	wait_for test -s "$OUT/inside"
	wait_for sh -c "'$SANDBOX' list | grep -q '^$name '"
}

@test "sandbox list shows a named sandbox with the namespace ids it sees inside" {
	start_named "$NAME"
	run -0 sb list
	line=$(printf '%s\n' "$output" | grep "^$NAME ")
	[ "$(echo "$line" | awk '{ print $4, $5, $6, $7, $8, $9, $10 }')" = "$(tr '\n' ' ' <"$OUT/inside" | sed 's/ $//')" ]
	run -0 sb list --json
	got=$(printf '%s\n' "$output" | jq -r --arg n "$NAME" \
		'.[] | select(.name == $n) | .namespaces | [.user, .mnt, .pid, .net, .ipc, .uts, .cgroup] | .[]')
	[ "$got" = "$(cat "$OUT/inside")" ]
	printf '%s\n' "$output" | jq -e --arg n "$NAME" \
		'.[] | select(.name == $n) | .profiles == ["default"] and .command[0] == "sh" and .pid > 0'
}

@test "sandbox enter runs a command in the same namespaces, with no capabilities, no_new_privs and seccomp" {
	start_named "$NAME"
	run -0 sb enter "$NAME" -- sh -c 'for n in user mnt pid net ipc uts cgroup; do stat -L -c %i /proc/self/ns/$n; done'
	[ "$output" = "$(cat "$OUT/inside")" ]
	run -0 sb enter "$NAME" -- "$PROBES/probe-status"
	[ "$(status_field Seccomp)" = 2 ]
	[ "$(status_field NoNewPrivs)" = 1 ]
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status_field $set)" = 0000000000000000 ]
	done
	[ "$(status_field Uid)" = 0 ]
}

@test "sandbox enter by pid works, and the command sees the sandbox's root and working directory" {
	start_named "$NAME" --chdir=/tmp --setenv=FROM_PROFILE=yes
	pid=$(sb list --json | jq -r --arg n "$NAME" '.[] | select(.name == $n) | .pid')
	run -0 sb enter "$pid" sh -c 'pwd; echo $FROM_PROFILE; test ! -e /home && echo private-root'
	[ "${lines[0]}" = /tmp ]
	[ "${lines[1]}" = yes ]
	[ "${lines[2]}" = private-root ]
}

@test "the entered command's exit status is passed on" {
	start_named "$NAME"
	run -3 sb enter "$NAME" sh -c 'exit 3'
	run -137 sb enter "$NAME" sh -c 'kill -9 $$'
	run -127 sb enter "$NAME" no-such-command
}

@test "another user's process cannot be entered" {
	run -125 sb enter 1 true
	[[ "$output" == *"enter: process 1 is not yours"* ]]
}

@test "a forged registry entry naming an unrelated process of mine is refused" {
	sleep 100 3>&- &
	BG=$!
	mkdir -p "$REG"
	{
		echo "version 1"
		echo "pid $BG"
		echo "start $(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$BG/stat)"
		echo "payload-uid 0"
		echo "payload-gid 0"
		echo "setgroups 0"
		paste -d' ' <(printf 'ns %s\n' user mnt pid net ipc uts cgroup) <(ns_ids $BG)
		echo "profile"
	} >"$REG/$NAME"
	run -125 sb enter "$NAME" true
	[[ "$output" == *"no running sandbox named '$NAME'"* ]]
	# It was not locked by a live sandbox, so it was cleaned away.
	[ ! -e "$REG/$NAME" ]
	# Nor can it be entered by pid: it is not a sandbox.
	run -125 sb enter "$BG" true
	[[ "$output" == *"not a running named sandbox"* ]]
}

@test "a forged entry held open and locked by my own process is still refused" {
	mkdir -p "$REG"
	sleep 100 3>&- &
	BG=$!
	{
		echo "version 1"
		echo "pid $BG"
		echo "start $(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$BG/stat)"
		echo "payload-uid 0"
		echo "payload-gid 0"
		echo "setgroups 0"
		paste -d' ' <(printf 'ns %s\n' user mnt pid net ipc uts cgroup) <(ns_ids $BG)
		echo "profile"
	} >"$REG/$NAME"
	flock "$REG/$NAME" sleep 5 3>&- &
	locker=$!
	wait_for sh -c "grep -q FLOCK /proc/locks"
	run -125 sb enter "$NAME" true
	[[ "$output" == *"is not a sandbox"* ]]
	kill $locker
}

@test "the entry is gone after a normal exit and after SIGKILL of sandbox" {
	run -0 sb --name="$NAME" true
	[ ! -e "$REG/$NAME" ]
	start_named "$NAME"
	[ -e "$REG/$NAME" ]
	kill -9 "$BG"
	wait "$BG" || true
	BG=
	wait_for sh -c "! '$SANDBOX' list | grep -q '^$NAME '"
	[ ! -e "$REG/$NAME" ]
	run -125 sb enter "$NAME" true
	[[ "$output" == *"enter: no running sandbox named '$NAME' (see sandbox list)"* ]]
}

@test "a second sandbox with the same name is refused while the first runs" {
	start_named "$NAME"
	run -125 sb --name="$NAME" true
	[[ "$output" == *"a sandbox named '$NAME' is already running"* ]]
}

@test "the sandbox cannot write the registry" {
	start_named "$NAME"
	run sb --bind="$HOME" -- sh -c "echo forged >'$REG/$NAME'; touch '$REG/new'"
	[ "$status" -ne 0 ]
	[ ! -e "$REG/new" ]
	grep -q '^version 1$' "$REG/$NAME"
}

@test "the registry dir must be private" {
	mkdir -p "$OUT/rt/sandbox"
	chmod 755 "$OUT/rt/sandbox"
	XDG_RUNTIME_DIR=$OUT/rt run -125 sb --name="$NAME" true
	[[ "$output" == *"must belong to you and be closed to others"* ]]
}

@test "with XDG_RUNTIME_DIR set, the registry lives there" {
	mkdir -m 0700 "$OUT/rt"
	export XDG_RUNTIME_DIR=$OUT/rt
	start_named "$NAME"
	[ -f "$OUT/rt/sandbox/$NAME" ]
	[ "$(stat -c %a "$OUT/rt/sandbox")" = 700 ]
	[ ! -e "$REG/$NAME" ]
	run -0 sb enter "$NAME" cat "$OUT/inside"
	kill "$BG"
	wait "$BG" || true
	BG=
	[ ! -e "$OUT/rt/sandbox/$NAME" ]
}

@test "--info-fd gets the pid and namespaces, --json-status-fd the start and the exit" {
	run -7 sb --bind="$OUT" --info-fd=4 --json-status-fd=5 -- sh -c \
		'for n in user mnt pid net ipc uts cgroup; do stat -L -c %i /proc/self/ns/$n; done >"$0/inside"; exit 7' \
		"$OUT" 4>"$OUT/info" 5>"$OUT/status"
	run -0 jq -r '.namespaces | [.user, .mnt, .pid, .net, .ipc, .uts, .cgroup] | .[]' "$OUT/info"
	[ "$output" = "$(cat "$OUT/inside")" ]
	jq -e '.pid > 1' "$OUT/info"
	[ "$(wc -l <"$OUT/status")" = 2 ]
	[ "$(head -1 "$OUT/status")" = "$(cat "$OUT/info")" ]
	[ "$(tail -1 "$OUT/status" | jq -c .)" = '{"exit-code":7}' ]
}

@test "the --info-fd and --json-status-fd descriptors stay outside the sandbox" {
	"$SANDBOX" --info-fd=4 --json-status-fd=5 -- sleep 100 4>"$OUT/info" 5>"$OUT/status" 3>&- &
	BG=$!
	wait_for test -s "$OUT/info"
	pid1=$(jq -r .pid "$OUT/info")
	child=$(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$pid1/stat")
	[ "$(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$child/stat")" = "$BG" ]
	for p in "$pid1" "$child" $(descendants "$pid1"); do
		! ls -l "/proc/$p/fd" | grep -q "$OUT"
	done
	# the outer process holds the status descriptor until the end
	ls -l "/proc/$BG/fd" | grep -q "$OUT/status"
}

@test "--json-status-fd reports a signal death" {
	run -137 sb --json-status-fd=5 -- sh -c 'kill -9 $$' 5>"$OUT/status"
	[ "$(tail -1 "$OUT/status" | jq -c .)" = '{"exit-code":137,"signal":9}' ]
}
