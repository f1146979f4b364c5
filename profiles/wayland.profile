# wayland: the Wayland compositor's socket, the first two display names.
# Needs XDG_RUNTIME_DIR; skipped when there is no compositor.
ro-bind-try ${XDG_RUNTIME_DIR}/wayland-0 ${XDG_RUNTIME_DIR}/wayland-1
