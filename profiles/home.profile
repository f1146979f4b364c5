# home: a private, empty home directory, with ~/Downloads shared writable.
#
# Nothing of your real home is visible (keys in ~/.ssh and ~/.gnupg, browser
# profiles, shell history): the application starts from an empty tmpfs that
# disappears when it exits. Share more directories with a drop-in, e.g.
# desktop.d/music.profile: `ro-bind-try ${HOME}/Music`.
tmpfs ${HOME}
bind-try ${HOME}/Downloads
