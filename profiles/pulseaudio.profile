# pulseaudio: the PulseAudio socket (also served by pipewire-pulse), and the
# client configuration. Needs XDG_RUNTIME_DIR; skipped when absent.
ro-bind-try ${XDG_RUNTIME_DIR}/pulse/native
ro-bind-try ${XDG_CONFIG_HOME}/pulse/client.conf
