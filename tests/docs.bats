#!/usr/bin/env bats
# docs.bats - the manual, the completions and --help/--version agree with the
# program: every long option --help prints is documented and completed, the
# man pages build and lint clean, and installed profiles are found by name.

load helpers

DOCS=$TOP_SRCDIR/docs
COMPLETIONS=$TOP_SRCDIR/completions

# The long options of `sandbox --help`, one per line, from its option lines.
help_options() {
	"$SANDBOX" --help | sed -n -E 's/^ +(-[a-zA-Z], )?--([a-z][a-z0-9-]*).*/\2/p' | sort -u
}

@test "--help goes to stdout and exits 0, and lists options" {
	run --separate-stderr "$SANDBOX" --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ ${lines[0]} == "Usage: sandbox "* ]]
	[ "$(help_options | wc -l)" -gt 30 ]
}

@test "--version prints 'sandbox VERSION' first, to stdout, and exits 0" {
	run --separate-stderr "$SANDBOX" --version
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ ${lines[0]} =~ ^sandbox\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a usage error goes to stderr, not stdout, with status 125" {
	run --separate-stderr "$SANDBOX" --no-such-option
	[ "$status" -eq 125 ]
	[ -z "$output" ]
	[[ $stderr == *"--no-such-option"* ]]
}

@test "--help fits in 80 columns" {
	run "$SANDBOX" --help
	assert_success
	run awk 'length > 79 { print NR ": " $0 }' <<<"$output"
	assert_output ""
}

@test "every option in --help is in sandbox(1)" {
	local missing=
	for o in $(help_options); do
		grep -qE -- "\*--$o\*" "$DOCS/sandbox.1.scd" || missing+=" --$o"
	done
	[ -z "$missing" ] || { echo "not in docs/sandbox.1.scd:$missing"; false; }
}

@test "every directive option in --help is a directive in sandbox-profile(5)" {
	local missing=
	local actions=" help version quiet profile check print-profile list-profiles dump-seccomp list-syscall-groups "
	for o in $(help_options); do
		[[ $actions == *" $o "* ]] && continue
		grep -qE -- "^\*$o\*" "$DOCS/sandbox-profile.5.scd" || missing+=" $o"
	done
	[ -z "$missing" ] || { echo "not in docs/sandbox-profile.5.scd:$missing"; false; }
}

@test "every option in --help is in the bash, zsh and fish completions" {
	local missing=
	for o in $(help_options); do
		grep -qE -- "--$o([= ]|$)" "$COMPLETIONS/sandbox" || missing+=" bash:--$o"
		grep -qE -- "--$o([=[}]|$)" "$COMPLETIONS/_sandbox" || missing+=" zsh:--$o"
		grep -qE -- "-l $o( |$)" "$COMPLETIONS/sandbox.fish" || missing+=" fish:--$o"
	done
	[ -z "$missing" ] || { echo "not completed:$missing"; false; }
}

@test "the man pages build with scdoc and lint clean" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	local tmp=$BATS_TEST_TMPDIR
	scdoc < "$DOCS/sandbox.1.scd" > "$tmp/sandbox.1"
	"$SANDBOX" --list-syscall-groups | awk -f "$DOCS/syscall-groups.awk" > "$tmp/groups.scd"
	awk -v groups="$tmp/groups.scd" \
		'/^@SYSCALL_GROUPS@$/ { while ((getline l < groups) > 0) print l; next } { print }' \
		"$DOCS/sandbox-profile.5.scd" | scdoc > "$tmp/sandbox-profile.5"
	if command -v groff >/dev/null; then
		for f in "$tmp/sandbox.1" "$tmp/sandbox-profile.5"; do
			run groff -man -ww -z "$f"
			[ "$status" -eq 0 ]
			[ -z "$output" ] || { echo "$f: $output"; false; }
		done
	fi
	if command -v mandoc >/dev/null; then
		run mandoc -T lint -W warning "$tmp/sandbox.1" "$tmp/sandbox-profile.5"
		[ "$status" -eq 0 ] || { echo "$output"; false; }
	fi
}

@test "sandbox-profile(5) lists every syscall group with its members" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	local man=$TOP_BUILDDIR/docs/sandbox-profile.5
	[ -f "$man" ] || skip "the man pages were not built"
	local text
	text=$(MANWIDTH=200 man -l "$man" 2>/dev/null || sed 's/\\-/-/g' "$man")
	for name in $("$SANDBOX" --list-syscall-groups | grep '^@' | cut -f1); do
		[[ $text == *"$name"* ]] || { echo "group $name missing"; false; }
	done
	# and a member that is only in one group
	[[ $text == *"init_module"* ]]
}

# --- bash completion, driven through COMP_WORDS/COMP_CWORD ---------------------

# complete WORD... - run the completion function on the words, the last one
# being completed; prints the candidates one per line.
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_sandbox
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$COMPLETIONS/sandbox" "$@"
}

@test "bash: options complete" {
	run complete_words sandbox --ne
	[[ $output == *"--net="* ]]
	[[ $output == *"--new-session"* ]]
	[[ $output != *"--bind"* ]]
}

@test "bash: values of --net, --user, --share complete" {
	run complete_words sandbox --net = ''
	[ "$(echo "$output" | sort | tr '\n' ' ')" = "host none user " ]
	run complete_words sandbox --user = s
	[ "$output" = self ]
	run complete_words sandbox --unshare = ''
	[[ $output == *cgroup* && $output == *ipc* && $output != *mount* ]]
}

@test "bash: --profile completes names from sandbox --list-profiles" {
	PATH=$(dirname "$SANDBOX"):$PATH run complete_words sandbox --profile = net
	[ "$output" = net-none ]
}

@test "bash: --syscall completes verbs, then groups from --list-syscall-groups" {
	PATH=$(dirname "$SANDBOX"):$PATH run complete_words sandbox --syscall = de
	[[ $output == *deny* && $output == *default* ]]
	PATH=$(dirname "$SANDBOX"):$PATH run complete_words sandbox --syscall = "allow @netw"
	[ "$output" = "allow @network-io" ]
}

@test "bash: path options complete paths" {
	mkdir -p "$BATS_TEST_TMPDIR/some-dir-xyz"
	run complete_words sandbox --ro-bind = "$BATS_TEST_TMPDIR/some-dir-x"
	[ "$output" = "$BATS_TEST_TMPDIR/some-dir-xyz" ]
}

@test "bash: after the command, completion is the command's" {
	run complete_words sandbox --net=none -- --ne
	[[ $output != *"--net="* ]]
}

@test "zsh completion parses" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -n "$COMPLETIONS/_sandbox"
}

@test "fish completion parses" {
	command -v fish >/dev/null || skip "fish is not installed"
	fish -n "$COMPLETIONS/sandbox.fish"
}

# --- install ---------------------------------------------------------------------

@test "make install puts profiles, man pages and completions in place; profiles are found by name" {
	command -v make >/dev/null || skip "make is not installed"
	# A source tree whose Makefile.in is older than Makefile.am would rerun
	# automake in the tree; a release tarball (and distcheck) never does.
	if [ "$TOP_SRCDIR/Makefile.am" -nt "$TOP_SRCDIR/Makefile.in" ] ||
		[ "$TOP_SRCDIR/configure.ac" -nt "$TOP_SRCDIR/configure" ]; then
		skip "the source tree needs autoreconf"
	fi
	local prefix=$BATS_TEST_TMPDIR/prefix build=$BATS_TEST_TMPDIR/build
	local src=$TOP_SRCDIR
	if [ -f "$TOP_SRCDIR/config.status" ]; then
		# Configured in place (as CI does): configure builds elsewhere only
		# from a clean tree, so take a copy and clean that.
		src=$BATS_TEST_TMPDIR/src
		mkdir -p "$src"
		(cd "$TOP_SRCDIR" && tar --exclude=./.git -cf - .) |
			tar -xf - -C "$src"
		make -C "$src" distclean >/dev/null
	fi
	mkdir -p "$build"
	cd "$build"
	"$src/configure" --prefix="$prefix" >/dev/null
	make -j2 >/dev/null
	make install >/dev/null
	[ -x "$prefix/bin/sandbox" ]
	[ -f "$prefix/share/sandbox/profiles/default.profile" ]
	[ -f "$prefix/share/bash-completion/completions/sandbox" ] ||
		ls "$prefix"/share/*/completions/sandbox >/dev/null
	[ -f "$prefix/share/zsh/vendor-completions/_sandbox" ]
	[ -f "$prefix/share/fish/vendor_completions.d/sandbox.fish" ]
	grep -q "profile sandbox $prefix/bin/sandbox " "$prefix/share/sandbox/apparmor/sandbox"
	if command -v scdoc >/dev/null; then
		[ -f "$prefix/share/man/man1/sandbox.1" ]
		[ -f "$prefix/share/man/man5/sandbox-profile.5" ]
	fi
	run env -u SANDBOX_PROFILE_PATH "$prefix/bin/sandbox" --list-profiles
	[ "$status" -eq 0 ]
	[[ $output == *default* && $output == *net-none* && $output == *build* ]]
}

# --- troubleshooting notices ---------------------------------------------------

@test "without newuidmap on PATH the run goes on, and the notice says which package" {
	has_subid_range || skip "this user has no subordinate id range"
	mkdir -p "$BATS_TEST_TMPDIR/empty-path"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/empty-path" "$SANDBOX" -- /bin/true
	[ "$status" -eq 0 ]
	[[ $stderr == *"newuidmap is not on PATH (install the 'uidmap' package)"* ]]
	[[ $stderr == *"only your own id is mapped inside"* ]]
}

@test "a newuidmap that is not setuid root is reported with the fix" {
	has_subid_range || skip "this user has no subordinate id range"
	local real
	real=$(command -v newuidmap) || skip "newuidmap is not installed"
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cp "$real" "$BATS_TEST_TMPDIR/bin/newuidmap"
	cp "$(command -v newgidmap)" "$BATS_TEST_TMPDIR/bin/newgidmap"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/bin" "$SANDBOX" -- /bin/true
	[ "$status" -eq 0 ]
	[[ $stderr == *"newuidmap is not setuid root (reinstall it: sudo apt-get install --reinstall uidmap)"* ]]
}

@test "--quiet silences the newuidmap notice" {
	has_subid_range || skip "this user has no subordinate id range"
	mkdir -p "$BATS_TEST_TMPDIR/empty-path"
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/empty-path" "$SANDBOX" --quiet -- /bin/true
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}
