# net-none: the default sandbox, saying explicitly that there is no network:
# a new network namespace with only loopback up.
include default
net none
