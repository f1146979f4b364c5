#!/usr/bin/env bats
# profiles.bats - profiles as a user meets them: the shipped ones run real
# commands, mistakes are reported at file:line:column before any namespace
# exists, the effective profile can be printed and replayed, users extend
# shipped profiles, and a sandbox cannot rewrite the profiles of its next run.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir -p project
	cd project
	export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/config
	mkdir -p "$XDG_CONFIG_HOME/sandbox/profiles"
}

@test "every shipped profile runs a real command" {
	export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/runtime
	mkdir -m 0700 -p "$XDG_RUNTIME_DIR"
	for p in default net-none build strict desktop; do
		run sb --profile="$p" -- sh -c 'ls /usr/bin/env >/dev/null && echo "ran in $(pwd)"'
		assert_success
		assert_output --partial "ran in"
	done
}

@test "--list-profiles shows the shipped profiles and the user's own" {
	echo 'net none' >"$XDG_CONFIG_HOME/sandbox/profiles/mine.profile"
	run sb --list-profiles
	assert_success
	for p in default net-none build strict desktop mine; do
		assert_line "$p"
	done
}

@test "--check validates profiles and options and runs nothing" {
	run sb --check -- touch marker
	assert_success
	[ ! -e marker ]
}

@test "a broken profile is reported at file:line:column, before any namespace exists" {
	printf 'net none\nro-bind /usr\nsyscall deny @no-such-group\n' >broken.profile
	run sb --profile=./broken.profile -- true
	assert_failure 125
	assert_output --partial "broken.profile:3:14:"
	assert_output --partial "@no-such-group"
	command -v strace >/dev/null || skip "strace is not installed"
	local strace
	strace=$(command -v strace)
	run "$strace" -f -e trace=clone,clone3,unshare "$SANDBOX" --profile=./broken.profile -- true
	refute_output --partial CLONE_NEW
}

@test "an unknown directive gets a suggestion and the exact place" {
	printf '# a comment\n  ro-bnid /usr\n' >typo.profile
	run sb --profile=./typo.profile -- true
	assert_failure 125
	assert_output --partial "typo.profile:2:3: unknown directive 'ro-bnid'; did you mean 'ro-bind'?"
}

@test "an include loop stops the run and shows the chain" {
	echo 'include b' >"$XDG_CONFIG_HOME/sandbox/profiles/a.profile"
	echo 'include a' >"$XDG_CONFIG_HOME/sandbox/profiles/b.profile"
	run sb --profile=a -- true
	assert_failure 125
	assert_output --partial "loop"
	assert_output --partial "a -> b -> a"
}

@test "the printed profile reproduces the same sandbox, filter included" {
	run sb --profile=build --setenv=X=1 --tmpfs='/srv size=1M' -- true
	assert_success
	sb --profile=build --setenv=X=1 --tmpfs='/srv size=1M' --print-profile >printed.profile
	sb --profile=./printed.profile --print-profile >again.profile
	# identical but for the comment naming the profiles it was made from
	diff <(grep -v '^# Made from' printed.profile) <(grep -v '^# Made from' again.profile)
	diff <(sb --profile=build --setenv=X=1 --tmpfs='/srv size=1M' --dump-seccomp) \
		<(sb --profile=./printed.profile --dump-seccomp)
	run sb --profile=./printed.profile -- sh -c 'echo $X; grep -c " /srv " /proc/self/mountinfo'
	assert_success
	assert_line 1
}

@test "a command with a line break in an argument still prints a profile that parses" {
	sb --print-profile -- sh -c 'echo a
echo b' >printed.profile
	run grep -c '^# Command: ' printed.profile
	assert_output 1
	run sb --profile=./printed.profile --check
	assert_success
}

@test "command-line options have the last word over every profile" {
	run sb --net=host --profile=net-none -- readlink /proc/self/ns/net
	assert_success
	assert_output "$(readlink /proc/self/ns/net)"
}

@test "a drop-in extends a shipped profile without copying it" {
	mkdir -p "$XDG_CONFIG_HOME/sandbox/profiles/default.d"
	echo 'setenv FROM_DROPIN=yes' >"$XDG_CONFIG_HOME/sandbox/profiles/default.d/50-mine.profile"
	run sb -- sh -c 'echo $FROM_DROPIN'
	assert_success
	assert_output yes
}

@test "a profile of the user's own masks a shipped one of the same name" {
	printf 'include base-fs\nhostname mine\n' >"$XDG_CONFIG_HOME/sandbox/profiles/net-none.profile"
	run sb --profile=net-none -- hostname
	assert_output mine
}

@test "the sandbox cannot rewrite the profiles that configure its next run" {
	# The project directory holds the user's configuration: the sandbox gets
	# the project writable, but not the profile directory inside it.
	export XDG_CONFIG_HOME=$PWD/config
	mkdir -p "$XDG_CONFIG_HOME/sandbox/profiles"
	echo 'net none' >"$XDG_CONFIG_HOME/sandbox/profiles/mine.profile"
	run sb -- sh -c "echo 'net host' > $XDG_CONFIG_HOME/sandbox/profiles/mine.profile"
	assert_failure
	assert_output --partial "Read-only file system"
	run sb -- sh -c "touch $XDG_CONFIG_HOME/sandbox/profiles/default.profile"
	assert_failure
	assert_equal "$(cat "$XDG_CONFIG_HOME/sandbox/profiles/mine.profile")" "net none"
	# the rest of the project stays writable
	run sb -- sh -c "echo ok > $PWD/out"
	assert_success
	# also when the whole tree is bound again on the command line, after the profiles
	run sb --bind="$PWD:/p" -- sh -c "touch /p/config/sandbox/profiles/x.profile"
	assert_failure
	[ ! -e "$XDG_CONFIG_HOME/sandbox/profiles/x.profile" ]
}

@test "started from the home directory, the default profile does not share it" {
	mkdir -p "$BATS_TEST_TMPDIR/home/.ssh"
	echo key >"$BATS_TEST_TMPDIR/home/.ssh/id_rsa"
	cd "$BATS_TEST_TMPDIR/home"
	HOME=$PWD run sb -- cat "$PWD/.ssh/id_rsa"
	assert_failure
	assert_output --partial "not sharing the current directory"
	assert_output --partial "your home directory"
	# sharing it is still possible, explicitly
	HOME=$PWD run sb -q --bind="$PWD" -- cat "$PWD/.ssh/id_rsa"
	assert_success
	assert_output key
}

@test "workdir ro shares the current directory read-only" {
	echo data >file
	run sb --workdir=ro -- sh -c 'cat file; echo x > file'
	assert_failure
	assert_line data
	assert_output --partial "Read-only file system"
}

@test "the build profile hides the home directory behind an empty tmpfs" {
	run sb --profile=build -- ls -A "$HOME"
	assert_success
	assert_output ""
}
