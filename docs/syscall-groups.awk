# syscall-groups.awk - turn `sandbox --list-syscall-groups` into scdoc text
# for sandbox-profile(5): the group name in bold, then its description and
# members indented beneath it.
/^@/ {
	name = $0
	sub(/\t.*/, "", name)
	desc = $0
	sub(/^[^\t]*\t# */, "", desc)
	printf "*%s*\n\t%s.\n\n", name, desc
	next
}
/^\t/ {
	members = $0
	sub(/^\t+/, "", members)
	# a leading underscore (_llseek) would start underlining in scdoc
	members = " " members
	gsub(/ _/, " \\_", members)
	sub(/^ /, "", members)
	printf "\t%s\n\n", members
}
