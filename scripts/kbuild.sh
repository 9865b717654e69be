#!/bin/bash
# kbuild for one supported kernel, with the compiler that built it:
#   kbuild.sh ABI DIR [make arguments...]
# runs `make -C /usr/src/linux-headers-ABI M=DIR ...` on this machine or in
# the chroot of the kernel's suite (scripts/kernels.list, scripts/kenv.sh).
# DIR must be inside the project tree (it is seen at the same path there).
# Debian's headers name their gcc (.kernelvariables); kbuild warns if it
# is not the one in CONFIG_CC_VERSION_TEXT, and the callers fail on it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/kenv.sh"
abi=${1:?usage: kbuild.sh ABI DIR [make args]}
dir=${2:?usage: kbuild.sh ABI DIR [make args]}
shift 2
env=$(kernel_env "$abi") || { echo "kbuild: $abi is not in scripts/kernels.list" >&2; exit 2; }
in_env "$env" make -C "/usr/src/linux-headers-$abi" M="$dir" "$@"
