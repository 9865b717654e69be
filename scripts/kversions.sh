#!/bin/sh
# Print the concrete Debian kernel ABI names of the two supported lines,
# resolved through their metapackages (never hard-coded):
#   linux-headers-amd64        -> 6.1 line
#   linux-headers-6.12-amd64   -> 6.12 line
set -e
for meta in linux-headers-amd64 linux-headers-6.12-amd64; do
	dep=$(apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(.*\)$/\1/p' | grep -v common | head -n1)
	if [ -z "$dep" ]; then
		echo "kversions: cannot resolve $meta (run scripts/deps.sh)" >&2
		exit 1
	fi
	echo "$dep"
done
