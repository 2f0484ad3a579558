#!/bin/bash
# flow.sh -- records per second per core of the flow collector against a
# bare recvmmsg loop, on the same loopback traffic in the same run
# (tools/flowbench). $1 = absolute build directory. Prints rates and ratio.
set -eu
B=${1:-$PWD/build}
[ -x "$B/tools/flowbench" ] || { echo "flow bench: $B/tools/flowbench missing"; exit 1; }
"$B/tools/flowbench" 200000
