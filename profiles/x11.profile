# x11: the X11 display sockets and your Xauthority cookie.
#
# The sockets of local displays live in /tmp/.X11-unix (X0 for DISPLAY=:0);
# the cookie lets the application authenticate to the server. Skipped when
# the machine has no X server. An X client can see and drive every other
# window of the same server: for real isolation prefer wayland.
ro-bind-try /tmp/.X11-unix
ro-bind-try ${HOME}/.Xauthority
