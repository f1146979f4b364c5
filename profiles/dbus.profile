# dbus: a filtered session bus.
#
# The application gets ${XDG_RUNTIME_DIR}/bus, served by xdg-dbus-proxy
# (package xdg-dbus-proxy) on your real session bus, never the bus itself.
# It may talk only to the names you allow, for example
#   sandbox --profile=desktop --dbus-talk=org.freedesktop.Notifications -- APP
# or in a drop-in desktop.d/notify.profile: `dbus-talk org.freedesktop.Notifications`.
# Without DBUS_SESSION_BUS_ADDRESS there is no bus to filter: a notice, and none.
# The real bus stays out of reach also through its abstract socket only in a
# new network namespace (net none or net user).
dbus yes
