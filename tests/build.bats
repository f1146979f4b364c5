#!/usr/bin/env bats
# build.bats - untrusted builds: --profile=build keeps the project writable
# and nothing else, and --overlay keeps even the project untouched.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	# The builds below are their own: not children of the make running this suite.
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
}

# tree_hash DIR - one hash over the names, types, modes, owners, sizes,
# times, link targets and contents of everything under DIR
tree_hash() {
	(
		cd "$1" &&
			find . -printf '%p %y %m %U %G %s %T@ %C@ %l\n' | LC_ALL=C sort &&
			find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
	) | sha256sum
}

# small_project DIR - a C program with a Makefile, a header and a test
small_project() {
	mkdir -p "$1"
	cat >"$1/hello.c" <<-'C'
		#include <stdio.h>
		#include "greeting.h"
		int main(void) { puts(GREETING); return 0; }
	C
	echo '#define GREETING "hello from the build"' >"$1/greeting.h"
	printf 'hello: hello.c greeting.h\n\tcc -o $@ hello.c\ncheck: hello\n\t./hello | grep -q hello\n' \
		>"$1/Makefile"
	echo "read me" >"$1/README"
}

@test "this project builds and passes its unit tests under --profile=build, and nothing outside it changes" {
	command -v autoreconf >/dev/null || skip "autoreconf is not installed"
	mkdir proj
	# the source tree belongs to whoever checked it out, maybe not to us
	local src
	src=$(cd "$TOP_SRCDIR" && pwd -P)
	if [ -e "$src/.git" ]; then
		git -c safe.directory="$src" -C "$src" archive HEAD | tar -x -C proj
	else
		# a release tarball (make distcheck): the tree is clean already
		cp -R "$src/." proj/
		chmod -R u+w proj
	fi
	echo "my own settings" >"$HOME/.sandbox-build-marker"
	local home_before
	home_before=$(ls -A "$HOME")
	cd proj
	# make check passes its own settings (TESTS=...) down in MAKEFLAGS
	run sb --profile=build --unsetenv=MAKEFLAGS --unsetenv=MFLAGS --unsetenv=MAKELEVEL -- sh -c '
		autoreconf -fi >/dev/null 2>&1 &&
		./configure --quiet >/dev/null &&
		make -j"$(nproc)" >/dev/null &&
		make check TESTS="tests/unit/test-directive tests/unit/test-profile tests/unit/test-filter" \
			>/dev/null &&
		cat test-suite.log &&
		echo overwritten >"$HOME/.sandbox-build-marker" &&
		touch "$HOME/.from-the-build" "/tmp/from-the-build-'$$'" &&
		echo "home:" && ls -A "$HOME"'
	assert_success
	assert_output --regexp "# PASS: +3"
	assert_output --regexp "# FAIL: +0"
	# the build happened here, in the project...
	[ -x sandbox ]
	[ -f tests/unit/test-filter.log ]
	# ...and nowhere else
	assert_equal "$(cat "$HOME/.sandbox-build-marker")" "my own settings"
	# whatever the build left in its home (caches, dotfiles) is not in mine;
	# other tests may write to my home meanwhile, so check only those names
	local name
	for name in $(printf '%s\n' "$output" | sed -n '/^home:$/,$p' | tail -n +2); do
		if ! grep -qxF -- "$name" <<<"$home_before"; then
			[ ! -e "$HOME/$name" ] || {
				echo "the build left $name in my home" >&2
				return 1
			}
		fi
	done
	[ ! -e "$HOME/.from-the-build" ]
	# the compiler's and configure's temporary files went to the sandbox's
	# own /tmp, as did this one (the host's /tmp is shared with other users
	# and processes, so it is not scanned for them)
	[ ! -e "/tmp/from-the-build-$$" ]
	rm -f "$HOME/.sandbox-build-marker"
}

@test "a build that writes to \$HOME or /usr fails there and leaves them untouched" {
	small_project proj
	echo "# mine" >"$HOME/.sandbox-build-rc"
	cd proj
	run sb --profile=build -- sh -c 'echo "alias ls=evil" >>"$HOME/.sandbox-build-rc"'
	assert_success
	assert_equal "$(cat "$HOME/.sandbox-build-rc")" "# mine"
	run sb --profile=build -- sh -c 'make && install -m 755 hello /usr/local/bin/hello-'$$
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e "/usr/local/bin/hello-$$" ]
	run sb --profile=build -- sh -c 'echo x >"/usr/sandbox-build-'$$'"'
	assert_failure
	assert_output --partial "Read-only file system"
	[ ! -e "/usr/sandbox-build-$$" ]
	# the project itself was writable
	[ -x hello ]
	rm -f "$HOME/.sandbox-build-rc"
}

@test "the build runs as me, with an empty home and TMPDIR in its own /tmp" {
	mkdir proj && cd proj
	TMPDIR=/nonexistent run sb --profile=build -- sh -c 'id -u; ls -A "$HOME" | wc -l; echo "$TMPDIR"'
	assert_success
	assert_line --index 0 "$(id -u)"
	assert_line --index 1 0
	assert_line --index 2 /tmp
}

@test "nproc, sysconf, /dev/shm and mktemp work in a build" {
	mkdir proj && cd proj
	run sb --profile=build -- sh -c 'nproc; getconf _NPROCESSORS_ONLN; mktemp; mktemp -p /dev/shm'
	assert_success
	assert_line --index 0 "$(nproc)"
	assert_line --index 1 "$(getconf _NPROCESSORS_ONLN)"
	assert_line --index 2 --regexp '^/tmp/tmp\.'
	assert_line --index 3 --regexp '^/dev/shm/tmp\.'
}

@test "git works on the project inside a build" {
	command -v git >/dev/null || skip "git is not installed"
	small_project proj
	cd proj
	git init -q .
	git add .
	run sb --profile=build -- git status --porcelain
	assert_success
	assert_line "A  Makefile"
	run sb --profile=build -- git ls-files
	assert_line hello.c
}

@test "an overlay build leaves the source tree byte-identical and shows its writes inside" {
	small_project proj
	local before
	before=$(tree_hash proj)
	run sb --profile=build --overlay="$PWD/proj" -- sh -c '
		cd proj && make check >/dev/null && ./hello &&
		echo "#define GREETING \"changed\"" >greeting.h && make >/dev/null && ./hello &&
		rm README && chmod 600 Makefile && ls'
	assert_success
	assert_line --index 0 "hello from the build"
	assert_line --index 1 "changed"
	assert_line hello
	refute_line README
	assert_equal "$(tree_hash proj)" "$before"
	[ ! -e proj/hello ]
	[ -e proj/README ]
}

@test "an overlay with upper= keeps the writes in UPPER/upper for the next run" {
	small_project proj
	local before
	before=$(tree_hash proj)
	run sb --overlay="$PWD/proj upper=$PWD/layer" -- sh -c 'cd proj && make >/dev/null && rm README && echo new >NEW'
	assert_success
	assert_equal "$(tree_hash proj)" "$before"
	[ -x layer/upper/hello ]
	assert_equal "$(cat layer/upper/NEW)" new
	# a deleted file is a whiteout in the upper layer
	[ -c layer/upper/README ]
	[ -d layer/work ]
	run sb --overlay="$PWD/proj upper=$PWD/layer" -- sh -c 'cd proj && ls'
	assert_success
	assert_line hello
	assert_line NEW
	refute_line README
}

@test "an overlay can show the directory somewhere else" {
	small_project proj
	run sb --overlay="$PWD/proj:/src" -- sh -c 'cd /src && touch made-inside && ls'
	assert_success
	assert_line hello.c
	assert_line made-inside
	[ ! -e proj/made-inside ]
}

@test "an upper directory that is a symlink, or holds one, is refused" {
	small_project proj
	mkdir elsewhere
	ln -s elsewhere link
	run sb --overlay="$PWD/proj upper=$PWD/link" -- true
	assert_failure 125
	assert_output --partial "symlink"
	mkdir layer
	ln -s ../elsewhere layer/work
	run sb --overlay="$PWD/proj upper=$PWD/layer" -- true
	assert_failure 125
	assert_output --partial "layer/work"
	[ -z "$(ls -A elsewhere)" ]
}
