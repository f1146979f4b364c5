#!/usr/bin/env bats
# rootfs.bats - a root filesystem of its own: --rootfs=DIR with the container
# profile runs a tree (here a busybox one made by the test) instead of the
# host's system, with several users when there is a subordinate id range.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	[ -x /bin/busybox ] || skip "busybox is not installed (Debian package busybox-static)"
	file /bin/busybox 2>/dev/null | grep -q 'dynamically linked' &&
		skip "/bin/busybox is not static (install busybox-static)"
	make_busybox_root "$BATS_TEST_TMPDIR/root"
}

# Files the tests gave to ids of the subordinate range are not mine outside:
# remove them as root inside, where those ids are mapped.
teardown() {
	[ -d "$BATS_TEST_TMPDIR/root" ] || return 0
	"$SANDBOX" -q --cap-add=DAC_OVERRIDE --cap-add=FOWNER --bind="$BATS_TEST_TMPDIR" -- \
		rm -rf "$BATS_TEST_TMPDIR/root"
}

# make_busybox_root DIR - a minimal tree: busybox, its applets as symlinks,
# root and a package-manager-like user, and a file that says whose tree it is
make_busybox_root() {
	local root=$1 applet
	mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/var/cache/pkg"
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' '_pkg:x:100:65534::/var/cache/pkg:/bin/sh' \
		'user:x:1000:1000::/home/user:/bin/sh' >"$root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'user:x:1000:' >"$root/etc/group"
	echo "busybox test tree" >"$root/etc/tree-name"
}

@test "the tree is the root: its files, a fresh /proc, /dev and /tmp, nothing of the host" {
	run sb --profile=container --rootfs="$PWD/root" -- sh -c 'cat /etc/tree-name; ls /; echo "$PATH"; ps -o pid,comm | wc -l; echo x >/dev/null && echo devnull; touch /tmp/t && echo tmp'
	assert_success
	assert_line --index 0 "busybox test tree"
	assert_line bin
	assert_line proc
	assert_line dev
	refute_line usr
	refute_line home
	assert_line "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	assert_line devnull
	assert_line tmp
	# the host's files are not there
	run sb --profile=container --rootfs="$PWD/root" -- sh -c "ls $TOP_BUILDDIR"
	assert_failure
}

@test "writes inside the tree land in the tree, as my files" {
	run sb --profile=container --rootfs="$PWD/root" -- sh -c 'echo hi >/root/note'
	assert_success
	assert_equal "$(cat root/root/note)" hi
	assert_equal "$(stat -c %u root/root/note)" "$(id -u)"
}

@test "with a subuid range, chown 1000:1000 works and the file belongs to my range" {
	has_subid_range || skip "this user has no subordinate id range"
	run sb --profile=container --rootfs="$PWD/root" -- sh -c 'touch /root/f && chown 1000:1000 /root/f && stat -c %u:%g /root/f'
	assert_success
	assert_output "1000:1000"
	local start
	IFS=: read -r _ start _ < <(grep -E "^($(id -un)|$(id -u)):" /etc/subuid | head -n1)
	assert_equal "$(stat -c %u root/root/f)" "$((start + 999))"
}

@test "a package manager can drop to its own user inside the tree" {
	has_subid_range || skip "this user has no subordinate id range"
	run sb --profile=container --rootfs="$PWD/root" -- sh -c 'chown _pkg /var/cache/pkg && su -s /bin/sh _pkg -c "id -u; touch /var/cache/pkg/fetched; touch /root/denied"'
	assert_line --index 0 100
	assert_line --partial "Permission denied"
	[ -e root/var/cache/pkg/fetched ]
	[ ! -e root/root/denied ]
}

@test "the capabilities root keeps in the container profile stop at the host's files" {
	# host files are owned by ids outside the sandbox's map: CAP_CHOWN and
	# CAP_DAC_OVERRIDE do not reach them even where they are bound in
	run sb --profile=container --rootfs="$PWD/root" --ro-bind=/etc/passwd:/host-passwd \
		--bind="$BATS_TEST_TMPDIR/root/etc:/mnt" -- sh -c 'chown 0:0 /host-passwd; echo x >>/host-passwd; grep Cap[EB] /proc/self/status'
	assert_line --partial "Read-only file system"
	refute_line --regexp 'CapEff:\s+0+$'
}

@test "without the container profile a rootfs runs with no capabilities" {
	run sb --rootfs="$PWD/root" --proc=/proc -- /bin/sh -c 'grep CapEff /proc/self/status; touch /root/f; chown 1000:1000 /root/f'
	assert_failure
	assert_line --regexp 'CapEff:\s+0+$'
	assert_line --partial "Operation not permitted"
}
