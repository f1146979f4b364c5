#!/usr/bin/env bats
# run-as: nosub
# idmap-fallback.bats - a user without a subordinate id range still gets a
# sandbox: only their own id is mapped, setgroups is denied, and one notice
# says how to get a range. When the suite starts as root this file runs as a
# user without a range; otherwise it skips unless the current user has none.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	if has_subid_range; then
		skip "this user has a subordinate id range"
	fi
}

@test "a user without a subuid range still gets a sandbox, with a notice" {
	run sb -- cat /proc/self/uid_map
	assert_success
	assert_line --partial "no subordinate id range for '$(id -un)'"
	assert_line --partial "usermod --add-subuids"
	assert_line --regexp "^ +0 +$(id -u) +1$"
	# the notice is one line
	[ "$(printf '%s\n' "$output" | grep -c '^sandbox:')" -eq 1 ]
}

@test "without a range setgroups is denied and gid 0 maps to my gid" {
	run sb -q -- cat /proc/self/setgroups /proc/self/gid_map
	assert_success
	assert_line deny
	assert_line --regexp "^ +0 +$(id -g) +1$"
}

@test "--quiet silences the notice" {
	run sb --quiet -- true
	assert_success
	assert_output ""
}

@test "--user=self maps my own uid to itself" {
	run sb -q --user=self -- sh -c 'id -u; cat /proc/self/uid_map'
	assert_success
	assert_line "$(id -u)"
	assert_line --regexp "^ +$(id -u) +$(id -u) +1$"
}

@test "another uid inside cannot be mapped without a range, and the run says so" {
	run sb -q --user=1234 -- true
	assert_failure 125
	assert_output --partial "cannot run as uid 1234"
	assert_output --partial "subordinate id range"
}

@test "capabilities are still all gone" {
	run sb_probe -q -- "$PROBES/probe-status"
	assert_success
	assert_equal "$(status_field CapEff)" 0000000000000000
	assert_equal "$(status_field CapBnd)" 0000000000000000
	assert_equal "$(status_field NoNewPrivs)" 1
}
