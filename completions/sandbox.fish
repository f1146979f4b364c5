# fish completion for sandbox(1)

function __sandbox_profiles
    set -l cmd (commandline -opc)[1]
    $cmd --list-profiles 2>/dev/null
end

function __sandbox_syscall
    set -l cmd (commandline -opc)[1]
    printf '%s\n' allow deny default arch
    for g in ($cmd --list-syscall-groups 2>/dev/null | string match -r '^@\S+')
        printf 'allow %s\ndeny %s\n' $g $g
    end
end

function __sandbox_caps
    echo all
    string replace -rf '^#define CAP_([A-Z_]+)\s+[0-9].*' 'cap_$1' </usr/include/linux/capability.h 2>/dev/null | string lower
end

complete -c sandbox -s h -l help -d 'show the help and exit'
complete -c sandbox -s V -l version -d 'show the version and exit'
complete -c sandbox -s q -l quiet -d 'do not print notices'
complete -c sandbox -l profile -x -a '(__sandbox_profiles)' -d 'load a profile'
complete -c sandbox -l list-profiles -d 'list the profiles in the search path'
complete -c sandbox -l print-profile -d 'print the effective profile and exit'
complete -c sandbox -l check -d 'check the profiles and options, run nothing'
complete -c sandbox -l dump-seccomp -d 'print the compiled seccomp filter'
complete -c sandbox -l list-syscall-groups -d 'print the syscall groups'

complete -c sandbox -l ro-bind -r -F -d 'bind SRC[:DEST] read-only'
complete -c sandbox -l ro-bind-try -r -F -d 'like ro-bind, if SRC exists'
complete -c sandbox -l bind -r -F -d 'bind SRC[:DEST] writable'
complete -c sandbox -l bind-try -r -F -d 'like bind, if SRC exists'
complete -c sandbox -l dev-bind -r -F -d 'bind SRC[:DEST], devices usable'
complete -c sandbox -l dev-bind-try -r -F -d 'like dev-bind, if SRC exists'
complete -c sandbox -l tmpfs -r -F -d 'a fresh tmpfs at DEST'
complete -c sandbox -l proc -r -F -d 'a fresh procfs at DEST'
complete -c sandbox -l dev -r -F -d 'a minimal /dev at DEST'
complete -c sandbox -l mqueue -r -F -d 'a POSIX message queue fs'
complete -c sandbox -l dir -r -F -d 'create a directory'
complete -c sandbox -l symlink -x -d "'TARGET LINK': create a symlink"
complete -c sandbox -l file -x -d "'DEST CONTENT': create a read-only file"
complete -c sandbox -l remount-ro -r -F -d 'make DEST read-only'
complete -c sandbox -l chmod -x -d "'MODE DEST': change a mode"
complete -c sandbox -l rootfs -r -F -d 'base of the new root'
complete -c sandbox -l overlay -r -F -d 'writable layer over DIR'
complete -c sandbox -l workdir -x -a 'rw ro no' -d 'share the current directory'
complete -c sandbox -l chdir -r -F -d 'working directory'
complete -c sandbox -l hostname -x -d 'host name inside'
complete -c sandbox -l share -x -a 'net ipc uts pid cgroup' -d 'keep a namespace'
complete -c sandbox -l unshare -x -a 'net ipc uts pid cgroup' -d 'a new namespace'
complete -c sandbox -l net -x -a 'none host user' -d 'network mode'
complete -c sandbox -l allow-host-loopback -f -a 'yes no' -d 'reach the host loopback'
complete -c sandbox -l publish -x -d 'HOSTPORT:PORT[/udp]'
complete -c sandbox -l user -x -a 'root self' -d 'who runs the command'
complete -c sandbox -l cap-add -x -a '(__sandbox_caps)' -d 'keep a capability'
complete -c sandbox -l cap-drop -x -a '(__sandbox_caps)' -d 'undo cap-add'
complete -c sandbox -l clearenv -f -a 'yes no' -d 'start from an empty environment'
complete -c sandbox -l setenv -x -d 'VAR=VALUE'
complete -c sandbox -l unsetenv -x -a '(set -n)' -d 'remove a variable'
complete -c sandbox -l keepenv -x -a '(set -n)' -d 'keep a variable'
complete -c sandbox -l new-session -f -a 'yes no' -d 'run in a new session'
complete -c sandbox -l dbus -f -a 'yes no' -d 'a filtered session bus'
complete -c sandbox -l dbus-talk -x -d 'let the command talk to NAME on the bus'
complete -c sandbox -l dbus-own -x -d 'let the command own NAME on the bus'
complete -c sandbox -l rlimit -x -a 'as= core= cpu= data= fsize= locks= memlock= msgqueue= nice= nofile= nproc= rss= rtprio= rttime= sigpending= stack=' -d 'a resource limit'
complete -c sandbox -l syscall -x -a '(__sandbox_syscall)' -d 'a seccomp rule'
complete -c sandbox -l name -x -d 'register the sandbox as NAME'
complete -c sandbox -l info-fd -x -d 'JSON info to FD'
complete -c sandbox -l json-status-fd -x -d 'JSON status lines to FD'
