# fonts: your own fonts and the fontconfig caches, read-only. The system's
# fonts come with /usr and /etc/fonts (base-fs).
ro-bind-try /usr/share/fonts /usr/local/share/fonts /etc/fonts
ro-bind-try ${XDG_DATA_HOME}/fonts ${HOME}/.fonts
ro-bind-try ${XDG_CONFIG_HOME}/fontconfig ${XDG_CACHE_HOME}/fontconfig
ro-bind-try /var/cache/fontconfig
