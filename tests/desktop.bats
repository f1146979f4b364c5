#!/usr/bin/env bats
# desktop.bats - a graphical application under --profile=desktop: it draws on
# the display, cannot read your files, reaches only the bus names it is
# allowed, and its D-Bus proxy never outlives it. Uses Xvfb and a private
# dbus-daemon started by the tests; nothing touches a real session.

load helpers

PY=/usr/bin/python3

setup() {
	cd "$BATS_TEST_TMPDIR"
	BG_PIDS=()
	CLEAN=()
	export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/run
	mkdir -m 0700 "$XDG_RUNTIME_DIR"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
}

teardown() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "${CLEAN[@]}"
}

# bg COMMAND... - start COMMAND in the background (killed by teardown); sets $BG
bg() {
	"$@" >"$BATS_TEST_TMPDIR/bg.$#.out" 2>&1 3>&- &
	BG=$!
	BG_PIDS+=("$BG")
}

# start_xvfb - an X server on a free display, local sockets only; sets DISPLAY
start_xvfb() {
	command -v Xvfb >/dev/null || skip "Xvfb is not installed (package xvfb)"
	local n
	for n in $(seq 90 140); do
		[ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
	done
	bg Xvfb ":$n" -nolisten tcp -screen 0 640x480x24
	export DISPLAY=:$n
	wait_for [ -S "/tmp/.X11-unix/X$n" ]
}

# start_bus - a private session bus with a service owning two names; sets
# DBUS_SESSION_BUS_ADDRESS
start_bus() {
	command -v dbus-daemon >/dev/null || skip "dbus-daemon is not installed (package dbus)"
	command -v gdbus >/dev/null || skip "gdbus is not installed (package libglib2.0-bin)"
	"$PY" -c 'import gi' 2>/dev/null || skip "python3-gi is not installed"
	local out
	out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
	export DBUS_SESSION_BUS_ADDRESS=${out%%$'\n'*}
	BG_PIDS+=("${out##*$'\n'}")
	bg "$PY" "$TOP_SRCDIR/tests/fixtures/dbus-echo-service.py" \
		org.sandboxtest.Allowed org.sandboxtest.Denied
	wait_for gdbus call --session --dest org.sandboxtest.Denied \
		--object-path /org/sandboxtest/Echo --method org.sandboxtest.Echo.Ping
}

# ping NAME - call the test service under NAME from inside the sandbox
ping_cmd() {
	echo gdbus call --session --dest "$1" --object-path /org/sandboxtest/Echo \
		--method org.sandboxtest.Echo.Ping
}

# proxies - pids of the xdg-dbus-proxy processes serving this test's sandboxes
proxies() {
	pgrep -u "$(id -u)" -f "xdg-dbus-proxy.*$XDG_RUNTIME_DIR/sandbox-bus/" || true
}

has_proxy() {
	[ -n "$(proxies)" ]
}

no_proxy() {
	[ -z "$(proxies)" ]
}

@test "an X client under the desktop profile maps a window on the display" {
	command -v xmessage >/dev/null || skip "xmessage is not installed (package x11-apps)"
	command -v xwininfo >/dev/null || skip "xwininfo is not installed (package x11-utils)"
	start_xvfb
	bg sb --profile=desktop -- xmessage -name sandboxed-window -timeout 30 hello
	run wait_for xwininfo -name sandboxed-window
	[ "$status" -eq 0 ] || { cat "$BATS_TEST_TMPDIR"/bg.*.out; false; }
	run xwininfo -root -tree
	assert_output --partial '"sandboxed-window"'
}

@test "under the desktop profile a key in ~/.ssh cannot be read" {
	[ ! -e "$HOME/.ssh/id_rsa" ] || skip "$HOME/.ssh/id_rsa exists; not touching a real key"
	mkdir -p "$HOME/.ssh"
	echo "FAKE PRIVATE KEY" >"$HOME/.ssh/id_rsa"
	CLEAN+=("$HOME/.ssh/id_rsa")
	run --separate-stderr sb --profile=desktop -- cat "$HOME/.ssh/id_rsa"
	[ "$status" -ne 0 ]
	refute_output --partial "FAKE PRIVATE KEY"
	# The same read with the home shared: the test can tell the difference.
	run --separate-stderr sb --profile=desktop --ro-bind="$HOME/.ssh" -- cat "$HOME/.ssh/id_rsa"
	assert_success
	assert_output "FAKE PRIVATE KEY"
}

@test "the app runs as you, and a file saved in ~/Downloads is yours" {
	local dir=$HOME/Downloads created=
	if [ ! -d "$dir" ]; then
		mkdir "$dir"
		created=1
	fi
	local f=$dir/sandbox-test-$$
	CLEAN+=("$f")
	[ -z "$created" ] || CLEAN+=("$dir")
	run --separate-stderr sb --profile=desktop --user=self -- sh -c "id -u; echo saved >$f"
	assert_success
	assert_output "$(id -u)"
	[ "$(cat "$f")" = saved ]
	[ "$(stat -c %u:%g "$f")" = "$(id -u):$(id -g)" ]
}

@test "a bus name on the allow-list answers, any other does not" {
	start_bus
	run --separate-stderr sb --profile=desktop --dbus-talk=org.sandboxtest.Allowed -- $(ping_cmd org.sandboxtest.Allowed)
	assert_success
	assert_output "('pong',)"
	run --separate-stderr sb --profile=desktop --dbus-talk=org.sandboxtest.Allowed -- $(ping_cmd org.sandboxtest.Denied)
	assert_failure
	refute_output --partial pong
	# Outside, the same name answers: the proxy is what refused it.
	run $(ping_cmd org.sandboxtest.Denied)
	assert_output "('pong',)"
}

@test "the sandbox sees the filtered bus at \$XDG_RUNTIME_DIR/bus, never the real one" {
	start_bus
	local real=${DBUS_SESSION_BUS_ADDRESS#unix:path=}
	real=${real%%,*}
	run --separate-stderr sb --profile=desktop -- sh -c \
		"echo \$DBUS_SESSION_BUS_ADDRESS; test -S $XDG_RUNTIME_DIR/bus && echo bus; test -e $real || echo no-real"
	assert_success
	assert_output "unix:path=$XDG_RUNTIME_DIR/bus
bus
no-real"
}

@test "the D-Bus proxy is gone when the sandbox exits" {
	start_bus
	run sb --profile=desktop -- sh -c 'test -S "$XDG_RUNTIME_DIR/bus"'
	assert_success
	[ -z "$(proxies)" ]
	run ls -A "$XDG_RUNTIME_DIR/sandbox-bus"
	assert_output ""
}

@test "the D-Bus proxy is gone after the sandbox is killed with SIGKILL" {
	start_bus
	bg "$SANDBOX" --profile=desktop -- sleep 60
	local sandbox=$BG
	wait_for has_proxy
	kill -KILL "$sandbox"
	run wait_for no_proxy
	assert_success
	# Its directory, which nobody could remove, goes with the next run.
	[ -n "$(ls -A "$XDG_RUNTIME_DIR/sandbox-bus")" ]
	run sb --profile=desktop -- /bin/true
	assert_success
	run ls -A "$XDG_RUNTIME_DIR/sandbox-bus"
	assert_output ""
}

@test "without xdg-dbus-proxy on PATH the run stops with one clear error" {
	start_bus
	mkdir bin
	local t
	for t in newuidmap newgidmap; do
		if command -v "$t" >/dev/null; then ln -s "$(command -v "$t")" bin/; fi
	done
	PATH=$BATS_TEST_TMPDIR/bin run sb --profile=desktop -- /bin/true
	[ "$status" -eq 125 ]
	assert_output --partial "xdg-dbus-proxy is not on PATH (install the package xdg-dbus-proxy"
}

@test "without a session bus the app runs with none, and says so" {
	run sb --profile=desktop -- sh -c 'echo "bus=${DBUS_SESSION_BUS_ADDRESS:-}"'
	assert_success
	assert_output --partial "no session bus"
	assert_line "bus="
}

@test "a bad bus name is refused before anything runs" {
	run sb --profile=desktop --dbus-talk='org.example;rm' -- /bin/true
	[ "$status" -eq 125 ]
	assert_output --partial "bad bus name 'org.example;rm'"
}
