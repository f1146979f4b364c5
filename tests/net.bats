#!/usr/bin/env bats
# net.bats - the network modes: none, host and user-mode networking, as an
# ordinary user sees them. Only loopback and the sandbox's own addresses are
# used: nothing here talks to another host.

load helpers

PY=$(command -v python3 || echo /usr/bin/python3)
IP=$(command -v ip || echo /usr/sbin/ip)

setup() {
	cd "$BATS_TEST_TMPDIR"
	BG_PIDS=()
}

teardown() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# bg COMMAND... - start COMMAND in the background (killed by teardown); sets $BG
bg() {
	"$@" >"$BATS_TEST_TMPDIR/bg.out" 2>&1 3>&- &
	BG=$!
	BG_PIDS+=("$BG")
}

free_port() {
	"$PY" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# host_http_server - serve $BATS_TEST_TMPDIR/www on the host's 127.0.0.1:$PORT
host_http_server() {
	mkdir -p www && echo "served-by-the-host-$$" >www/marker
	PORT=$(free_port)
	bg "$PY" -m http.server --bind 127.0.0.1 --directory "$PWD/www" "$PORT"
	wait_for curl -sf -o /dev/null "http://127.0.0.1:$PORT/marker"
}

user_net_usable() {
	{ command -v pasta || command -v slirp4netns; } >/dev/null && [ -r /dev/net/tun ] &&
		[ -w /dev/net/tun ]
}

have_user_net() {
	command -v pasta >/dev/null || command -v slirp4netns >/dev/null ||
		skip "neither pasta (package passt) nor slirp4netns is installed"
	user_net_usable || skip "/dev/net/tun is not usable by this user (it should be mode 0666)"
}

# helper_of PID - the pid of the network helper the sandbox PID started
helper_of() {
	ps -o pid=,comm= --ppid "$1" | awk '$2 ~ /^(pasta|passt|slirp4netns)/ { print $1 }'
}

# path_without_helpers - a directory for PATH with what a run needs, but no helper
path_without_helpers() {
	mkdir -p bin
	local t
	for t in newuidmap newgidmap sh true cat curl python3 "$@"; do
		if command -v "$t" >/dev/null; then
			ln -sf "$(command -v "$t")" "bin/$t"
		fi
	done
	echo "$PWD/bin"
}

@test "--net=none shows only lo, and it is up" {
	run sb --net=none -- "$IP" -o link show
	assert_success
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	assert_output --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>'
}

@test "--net=none: a server on the sandbox's own loopback works" {
	run sb --net=none -- "$PY" -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname(), timeout=2)
print("loopback works")'
	assert_success
	assert_output "loopback works"
}

@test "--net=host sees the host's interfaces" {
	run sb --net=host -- readlink /proc/self/ns/net
	assert_success
	assert_output "$(readlink /proc/self/ns/net)"
	run sb --net=host -- "$IP" -o link show
	assert_success
	assert_equal "$(printf '%s\n' "$output" | awk '{ print $2 }')" \
		"$("$IP" -o link show | awk '{ print $2 }')"
}

@test "a server on the host's loopback is unreachable with --net=none" {
	host_http_server
	run sb --net=none -- curl -s -m 3 "http://127.0.0.1:$PORT/marker"
	assert_failure
	refute_output --partial served-by-the-host
}

@test "a server on the host's loopback is unreachable with --net=user" {
	have_user_net
	host_http_server
	# neither through the sandbox's own loopback (pasta's -T forwarding) ...
	run sb --net=user -- curl -s -m 3 "http://127.0.0.1:$PORT/marker"
	assert_failure
	refute_output --partial served-by-the-host
	run sb --net=user -- curl -s -m 3 "http://[::1]:$PORT/marker"
	assert_failure
	refute_output --partial served-by-the-host
}

@test "with --allow-host-loopback, the host's loopback appears at 10.0.2.2" {
	have_user_net
	host_http_server
	run sb --net=user --allow-host-loopback -- curl -s -m 5 "http://10.0.2.2:$PORT/marker"
	assert_success
	assert_output "served-by-the-host-$$"
	# the sandbox's own loopback still stays its own
	run sb --net=user --allow-host-loopback -- curl -s -m 3 "http://127.0.0.1:$PORT/marker"
	assert_failure
}

@test "--net=user configures the documented addresses and a DNS forwarder" {
	have_user_net
	run sb --net=user -- sh -c \
		"'$IP' -o -4 addr show; '$IP' -4 route show default; cat /etc/resolv.conf"
	assert_success
	assert_output --partial "inet 10.0.2.100/24"
	assert_line --regexp '^default via 10\.0\.2\.2 '
	assert_line "nameserver 10.0.2.3"
	# only the forwarder: nothing of the host's resolv.conf leaks in
	assert_equal "$(printf '%s\n' "$output" | grep -c '^nameserver')" 1
}

@test "--publish forwards the host's 127.0.0.1:HOSTPORT to a server inside" {
	have_user_net
	mkdir -p www && echo "served-from-inside-$$" >www/marker
	local hp
	hp=$(free_port)
	bg "$SANDBOX" --net=user --publish="$hp:8000" --ro-bind="$PWD/www" -- \
		"$PY" -m http.server --bind 0.0.0.0 --directory "$PWD/www" 8000
	wait_for curl -sf -o /dev/null "http://127.0.0.1:$hp/marker"
	run curl -s -m 3 "http://127.0.0.1:$hp/marker"
	assert_success
	assert_output "served-from-inside-$$"
}

@test "no helper is left after the sandbox exits" {
	have_user_net
	bg "$SANDBOX" --net=user -- sh -c 'while [ ! -e stop ]; do sleep 0.1; done'
	local sbpid=$BG helper=
	wait_for sh -c "ps -o comm= --ppid $sbpid | grep -qE '^(pasta|passt|slirp4netns)'"
	helper=$(helper_of "$sbpid")
	[ -n "$helper" ]
	touch stop
	local rc=0
	wait "$sbpid" || rc=$?
	assert_equal "$rc" 0
	run kill -0 "$helper"
	assert_failure
}

@test "no helper is left after SIGKILL of sandbox" {
	have_user_net
	bg "$SANDBOX" --net=user -- sleep 300
	local sbpid=$BG helper=
	wait_for sh -c "ps -o comm= --ppid $sbpid | grep -qE '^(pasta|passt|slirp4netns)'"
	helper=$(helper_of "$sbpid")
	[ -n "$helper" ]
	kill -KILL "$sbpid"
	wait "$sbpid" || true
	wait_for sh -c "! kill -0 $helper 2>/dev/null"
}

@test "without pasta or slirp4netns on PATH, --net=user says what to install and exits 125" {
	local path
	path=$(path_without_helpers)
	PATH=$path run "$SANDBOX" --net=user -- true
	assert_failure 125
	assert_output --partial "neither pasta nor slirp4netns is on PATH"
	assert_output --partial "install the package passt, or slirp4netns"
}

@test "without pasta, slirp4netns gives the same network" {
	have_user_net
	command -v slirp4netns >/dev/null || skip "slirp4netns is not installed"
	host_http_server
	local path
	path=$(path_without_helpers slirp4netns ip)
	PATH=$path run "$SANDBOX" --net=user -- sh -c \
		"'$IP' -o -4 addr show; cat /etc/resolv.conf;
		curl -s -m 3 http://127.0.0.1:$PORT/marker"
	assert_failure
	assert_output --partial "inet 10.0.2.100/24"
	assert_line "nameserver 10.0.2.3"
	refute_output --partial served-by-the-host
	PATH=$path run "$SANDBOX" --net=user --allow-host-loopback -- \
		curl -s -m 5 "http://10.0.2.2:$PORT/marker"
	assert_success
	assert_output "served-by-the-host-$$"
}

@test "abstract unix sockets of the host are unreachable with none and user" {
	local name=sandbox-net-test-$$-$RANDOM
	bg "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind("\0" + sys.argv[1]); s.listen()
open("listening", "w").close()
time.sleep(120)' "$name"
	wait_for test -e listening
	local connect='
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\0" + sys.argv[1]); print("connected")
except OSError as e:
    print("refused:", e.strerror)'
	# the probe itself can connect when the network namespace is shared
	run sb --net=host -- "$PY" -c "$connect" "$name"
	assert_output connected
	run sb --net=none -- "$PY" -c "$connect" "$name"
	assert_output --partial refused
	if user_net_usable; then
		run sb --net=user -- "$PY" -c "$connect" "$name"
		assert_output --partial refused
	fi
}
