#!/usr/bin/env bats
# run-as: nosub
# rootfs-nosub.bats - a root filesystem for a user without a subordinate id
# range: only root exists inside, so handing a file to another uid fails with
# a clear error instead of pretending. When the suite starts as root this
# file runs as a user without a range; otherwise it skips unless the current
# user has none.

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	has_subid_range && skip "this user has a subordinate id range"
	[ -x /bin/busybox ] || skip "busybox is not installed (Debian package busybox-static)"
	mkdir -p root/bin root/etc root/root
	cp /bin/busybox root/bin/busybox
	local applet
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "root/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >root/etc/passwd
}

@test "without a subuid range, chown 1000:1000 in a rootfs fails clearly" {
	run sb -q --profile=container --rootfs="$PWD/root" -- sh -c 'touch /root/f && chown 1000:1000 /root/f'
	assert_failure
	assert_output --partial "chown: /root/f: Invalid argument"
	assert_equal "$(stat -c %u root/root/f)" "$(id -u)"
}

@test "without a subuid range, root's own files in the rootfs still work" {
	run sb -q --profile=container --rootfs="$PWD/root" -- sh -c 'touch /root/g && chown 0:0 /root/g && chmod 600 /root/g && stat -c %u:%a /root/g'
	assert_success
	assert_output "0:600"
}
