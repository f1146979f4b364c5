# pipewire: the native PipeWire socket. Needs XDG_RUNTIME_DIR; skipped when
# absent. PipeWire lets a client record as well as play.
ro-bind-try ${XDG_RUNTIME_DIR}/pipewire-0
