# desktop: a graphical application that cannot read your files.
#
# Runs with your own uid (files it saves are yours), a private empty home with
# only ~/Downloads shared, and just the sockets a desktop application needs:
# the X11 and Wayland displays, PulseAudio or PipeWire for sound, the GPU,
# fonts, and a filtered session bus. Every one of them is optional (-try),
# except the bus, which needs xdg-dbus-proxy when a session bus exists.
# No network; give an application one with a drop-in (desktop.d/*.profile):
# `net user`. Needs XDG_RUNTIME_DIR, which a graphical login session sets.
#
# Building blocks, to combine in a profile of your own: x11 wayland
# pulseaudio pipewire dbus fonts gpu home.
include base-fs
user self
include home

# A private runtime directory holding only the sockets below. A fresh tmpfs
# (mode 1777, like the home above): made during setup by root inside, which
# under `user self` is not you, so a 0700 directory would lock you out.
tmpfs /run
tmpfs ${XDG_RUNTIME_DIR}

include x11 wayland pulseaudio pipewire gpu fonts dbus

# A new session: the application cannot push keystrokes into your terminal.
new-session yes
# A new network namespace: the real bus's abstract socket is out of reach.
net none
include seccomp-baseline
