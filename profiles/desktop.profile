# desktop: a graphical application (first version).
#
# Runs with your own uid, an empty home, and only the sockets a desktop
# application needs: the X11 and Wayland displays, PulseAudio or PipeWire for
# sound, the GPU, and your fonts. Every one of them is optional (-try). No
# network; give an application one with a drop-in (desktop.d/*.profile).
# Needs XDG_RUNTIME_DIR, which a graphical login session sets.
include base-fs
user self
tmpfs ${HOME}
ro-bind-try ${HOME}/.Xauthority

# A private runtime directory holding only the sockets below.
tmpfs /run
dir ${XDG_RUNTIME_DIR}
chmod 0700 ${XDG_RUNTIME_DIR}

# Display: X11 and Wayland.
ro-bind-try /tmp/.X11-unix
ro-bind-try ${XDG_RUNTIME_DIR}/wayland-0 ${XDG_RUNTIME_DIR}/wayland-1

# Sound: PulseAudio (also served by PipeWire) and native PipeWire.
ro-bind-try ${XDG_RUNTIME_DIR}/pulse/native ${XDG_RUNTIME_DIR}/pipewire-0

# GPU: the DRM render and card nodes.
dev-bind-try /dev/dri

# Fonts and their caches, beyond /usr/share/fonts and /etc/fonts from base-fs.
ro-bind-try ${XDG_DATA_HOME}/fonts ${HOME}/.fonts
ro-bind-try ${XDG_CONFIG_HOME}/fontconfig ${XDG_CACHE_HOME}/fontconfig
ro-bind-try /var/cache/fontconfig

net none
include seccomp-baseline
