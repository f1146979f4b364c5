#!/usr/bin/env bats
# core.bats - running a command in a sandbox: namespaces, ids, the new root,
# capabilities, exit status and signals, as an ordinary user sees them.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "the command runs as root inside, mapped to me and my subordinate range" {
	has_subid_range || skip "this user has no subordinate id range"
	run sb -- cat /proc/self/uid_map /proc/self/gid_map
	assert_success
	local start count
	IFS=: read -r _ start count < <(grep -E "^($(id -un)|$(id -u)):" /etc/subuid | head -n1)
	read -r -a lines <<<"$(printf '%s\n' "$output" | head -n2 | tr -s ' ' | tr '\n' ' ')"
	assert_equal "${lines[*]:0:3}" "0 $(id -u) 1"
	assert_equal "${lines[*]:3:3}" "1 $start $count"
	run sb -- id -u
	assert_output 0
}

@test "--user=self keeps my own uid inside" {
	run sb --user=self -- id -u
	assert_success
	assert_output "$(id -u)"
}

@test "--user=UID:GID runs the command as that id inside" {
	has_subid_range || skip "needs a subordinate id range to map uid 1234"
	run sb --user=1234:2345 -- sh -c 'echo $(id -u) $(id -g)'
	assert_success
	assert_output "1234 2345"
}

@test "ps sees only the sandbox's processes, under our PID 1" {
	run sb -- ps -e -o pid=,comm=
	assert_success
	assert_line --regexp '^ *1 sandbox-init$'
	# PID 1, the command, nothing else of the host
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 2 ]
}

@test "the hostname is the sandbox's own and the host's is untouched" {
	run sb -- hostname
	assert_output sandbox
	run sb --hostname=builder -- hostname
	assert_output builder
	assert_equal "$(hostname)" "$(uname -n)"
}

@test "host files that are not bound are not visible" {
	mkdir -p "$HOME/secret-$$" && echo hush >"$HOME/secret-$$/file"
	run sb -- cat "$HOME/secret-$$/file"
	assert_failure 1
	assert_output --partial "No such file or directory"
	run sb -- ls /
	refute_line home
	rm -rf "$HOME/secret-$$"
}

@test "a read-only bind refuses writes with EROFS" {
	mkdir ro && echo before >ro/file
	run sb --ro-bind="$PWD/ro" -- sh -c "echo after > $PWD/ro/file"
	assert_failure
	assert_output --partial "Read-only file system"
	assert_equal "$(cat ro/file)" before
}

@test "a writable bind writes through to the host" {
	mkdir rw
	run sb --bind="$PWD/rw:/work" -- sh -c 'echo written > /work/new'
	assert_success
	assert_equal "$(cat rw/new)" written
}

@test "a bind may name a different destination with SRC:DEST" {
	mkdir src && echo hello >src/f
	run sb --ro-bind="$PWD/src:/opt/data" -- cat /opt/data/f
	assert_success
	assert_output hello
}

@test "/dev holds only the minimal set of devices" {
	run sb -- ls -A /dev
	assert_success
	assert_equal "$(printf '%s\n' "$output" | tr '\n' ' ')" \
		"core fd full null ptmx pts random shm stderr stdin stdout tty urandom zero "
	run sb -- sh -c 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c'
	assert_output 4
}

@test "every capability set is empty and no_new_privs is set" {
	run sb_probe -- "$PROBES/probe-status"
	assert_success
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		assert_equal "$(status_field "$set")" 0000000000000000
	done
	assert_equal "$(status_field NoNewPrivs)" 1
}

@test "--cap-add keeps one capability inside and nothing else" {
	run sb_probe --cap-add=CAP_NET_BIND_SERVICE -- "$PROBES/probe-status"
	assert_success
	# CAP_NET_BIND_SERVICE is bit 10
	assert_equal "$(status_field CapEff)" 0000000000000400
	assert_equal "$(status_field CapBnd)" 0000000000000400
	assert_equal "$(status_field CapAmb)" 0000000000000400
}

@test "the command runs in a new session" {
	run sb_probe -- "$PROBES/probe-status"
	assert_equal "$(status_field Sid)" "$(status_field Pid)"
}

@test "the exit status is the command's own" {
	run sb -- sh -c 'exit 42'
	assert_failure 42
	run sb -- true
	assert_success
}

@test "a command killed by signal N gives 128+N" {
	run sb -- sh -c 'kill -KILL $$'
	assert_failure 137
	run sb -- sh -c 'kill -SEGV $$'
	assert_failure 139
}

@test "a command that is not found gives 127 and says so" {
	run -127 sb -- no-such-command-here
	assert_failure 127
	assert_output --partial "no-such-command-here"
	assert_output --partial "not found"
}

@test "a command that is not executable gives 126" {
	echo 'echo hi' >script
	chmod 644 script
	run sb -- "$PWD/script"
	assert_failure 126
	assert_output --partial "Permission denied"
}

@test "SIGTERM to sandbox reaches the command, which can clean up" {
	"$SANDBOX" -- sh -c 'trap "echo cleaned > '"$PWD"'/out; exit 7" TERM; echo up > '"$PWD"'/ready;
		while :; do sleep 0.1; done' &
	local pid=$!
	wait_for test -f ready
	kill -TERM "$pid"
	local code=0
	wait "$pid" || code=$?
	assert_equal "$code" 7
	assert_equal "$(cat out)" cleaned
}

@test "SIGINT, SIGHUP, SIGUSR1 and SIGUSR2 are forwarded as well" {
	for sig in INT HUP USR1 USR2 QUIT; do
		rm -f ready got
		"$SANDBOX" -- sh -c 'trap "echo '"$sig"' > '"$PWD"'/got; exit 3" '"$sig"'; : > '"$PWD"'/ready;
			while :; do sleep 0.1; done' &
		local pid=$!
		wait_for test -f ready
		kill -"$sig" "$pid"
		local code=0
		wait "$pid" || code=$?
		assert_equal "$code" 3
		assert_equal "$(cat got)" "$sig"
	done
}

@test "orphans are reaped by PID 1: no zombie is left" {
	run sb -- sh -c '
		sh -c "sleep 0.2 & exit 0"   # its child is orphaned and re-parented to PID 1
		sleep 0.6
		grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l'
	assert_success
	assert_output 0
}

@test "SIGKILL of sandbox takes every process inside with it" {
	"$SANDBOX" -- sleep 300 &
	local pid=$!
	# the child in the user namespace, PID 1, and the command
	four() { [ "$(descendants "$pid" | wc -w)" -ge 3 ]; }
	wait_for four
	local tree
	tree=$(descendants "$pid")
	kill -KILL "$pid"
	wait "$pid" || true
	gone() {
		local p
		for p in $tree; do
			if kill -0 "$p" 2>/dev/null; then return 1; fi
		done
	}
	wait_for gone
}

@test "a destination that is a symlink inside the new root is refused, not followed" {
	mkdir data
	run sb --symlink='/etc /tmp/link' --bind="$PWD/data:/tmp/link/evil" -- true
	assert_failure 125
	assert_output --partial "symlink"
	# and the host's /etc was not touched
	[ ! -e /etc/evil ]
}

@test "a symlink in a bound host directory cannot redirect a later mount onto the host" {
	mkdir -p tree target
	ln -s "$PWD/target" tree/escape
	run sb --bind="$PWD/tree" --tmpfs="$PWD/tree/escape" -- true
	assert_failure 125
	assert_output --partial "symlink"
	run sb --bind="$PWD/tree" --dir="$PWD/tree/escape/made" -- true
	assert_failure 125
	[ ! -e target/made ]
}

@test "nothing is staged in the host's /tmp" {
	command -v strace >/dev/null || skip "strace is not installed"
	# A traced setuid newuidmap runs without its privilege, so trace a run
	# that maps only our own id (no newuidmap on PATH).
	mkdir nobin
	local strace
	strace=$(command -v strace)
	PATH=$PWD/nobin run "$strace" -f -o trace \
		-e trace=mkdir,mkdirat,open,openat,creat,symlink,symlinkat "$SANDBOX" -- /bin/true
	assert_success
	assert_output --partial "newuidmap is not on PATH"
	# no path under a shared writable directory is created outside our own mounts
	run grep -E '(mkdir|mkdirat|creat|symlink|symlinkat)\(.*"/(tmp|var/tmp|dev/shm)/' trace
	assert_failure
	run grep -E 'open(at)?\(.*"/(tmp|var/tmp|dev/shm)/[^"]*".*O_CREAT' trace
	assert_failure
}

@test "a setuid-root binary run inside gains nothing" {
	[ -u "${SANDBOX_SETUID_PROBE:-}" ] || skip "needs a setuid-root probe, made when the suite starts as root"
	# outside, the probe really does run as root
	run "$SANDBOX_SETUID_PROBE"
	assert_equal "$(status_field Euid)" 0
	local dir
	dir=$(dirname "$SANDBOX_SETUID_PROBE")
	run sb --ro-bind="$dir" --user=1000 -- "$SANDBOX_SETUID_PROBE"
	assert_success
	assert_equal "$(status_field Euid)" 1000
	assert_equal "$(status_field CapEff)" 0000000000000000
	assert_equal "$(status_field CapPrm)" 0000000000000000
}

@test "the environment can be cleared, set and unset" {
	FOO=outside run sb --clearenv --setenv=A=1 -- env
	assert_success
	assert_line A=1
	refute_line --partial FOO=
	FOO=outside BAR=kept run sb --unsetenv=FOO -- sh -c 'echo "${FOO-unset} $BAR"'
	assert_output "unset kept"
}

@test "--chdir sets the working directory inside" {
	run sb --chdir=/usr -- pwd
	assert_output /usr
}

@test "tmpfs, dir, symlink, file, chmod and remount-ro build the tree in order" {
	run sb --tmpfs='/srv size=1M mode=0755' --dir=/srv/a/b --symlink='a/b /srv/link' \
		--file='/srv/motd hello' --chmod='0700 /srv/a' --remount-ro=/srv -- \
		sh -c 'ls -ld /srv/a | cut -c1-10; readlink /srv/link; cat /srv/motd; echo; touch /srv/x'
	assert_failure
	assert_line drwx------
	assert_line a/b
	assert_line hello
	assert_output --partial "Read-only file system"
}

@test "unknown options, missing sources and bad ids stop the run with 125 and say what" {
	run sb --no-such-option -- true
	assert_failure 125
	assert_output --partial "unknown option '--no-such-option'"
	run sb --ro-bind=/no/such/source -- true
	assert_failure 125
	assert_output --partial "/no/such/source"
	assert_output --partial "does not exist"
	run sb --user=nobody -- true
	assert_failure 125
	assert_output --partial "bad user 'nobody'"
	run sb
	assert_failure 125
	assert_output --partial "no command given"
}

@test "a misspelt option gets a suggestion" {
	run sb --ro-bnid=/usr -- true
	assert_failure 125
	assert_output --partial "did you mean '--ro-bind'"
}

@test "--share=net keeps the host's network namespace" {
	run sb --share=net -- readlink /proc/self/ns/net
	assert_output "$(readlink /proc/self/ns/net)"
	run sb -- readlink /proc/self/ns/net
	refute_output "$(readlink /proc/self/ns/net)"
}

@test "every namespace but the shared ones is new" {
	for ns in user mnt pid net ipc uts cgroup; do
		run sb -- readlink /proc/self/ns/$ns
		assert_success
		refute_output "$(readlink /proc/self/ns/$ns)"
	done
}

@test "with --user=self the sandbox's processes stay readable by their owner" {
	"$SANDBOX" --user=self -- sleep 30 &
	local pid=$!
	three() { [ "$(descendants "$pid" | wc -w)" -ge 3 ]; }
	wait_for three
	local p
	for p in $(descendants "$pid"); do
		# a process that changed to another kernel uid would be non-dumpable
		readlink "/proc/$p/ns/mnt" >/dev/null
	done
	kill "$pid"
	wait "$pid" || true
}

@test "no mount of the host is left in the sandbox's mount namespace" {
	run sb -- cat /proc/self/mountinfo
	assert_success
	# one root, the sandbox's own tmpfs, and nothing mounted from the host's root
	[ "$(printf '%s\n' "$output" | awk '$5 == "/"' | wc -l)" -eq 1 ]
	printf '%s\n' "$output" | awk '$5 == "/"' | grep -q ' - tmpfs '
}

@test "dev-bind keeps a device usable, while a plain bind of it is nodev" {
	# not under the sticky /tmp: the kernel refuses O_CREAT on another
	# owner's device node there, sandbox or not
	run sb --dev-bind=/dev/null:/opt/devnull -- sh -c 'echo x > /opt/devnull && echo written'
	assert_success
	assert_output written
	run sb --bind=/dev/null:/opt/devnull -- sh -c 'echo x > /opt/devnull'
	assert_failure
	assert_output --partial "Permission denied"
}
