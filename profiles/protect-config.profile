# protect-config: the user's own sandbox profiles are read-only inside.
#
# A building block, included after anything that may bind the user's home
# writable: a sandboxed program must not be able to rewrite the profiles that
# configure its next run. Skipped when the directory does not exist.
ro-bind-try ${XDG_CONFIG_HOME}/sandbox
