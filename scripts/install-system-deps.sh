#!/usr/bin/env bash
# Installs the system packages MaxPoolBERT.js builds against, with apt, when it may (as root or
# with password-less sudo) on Debian/Ubuntu:
#   - g++, make, python3 and oneDNN (libdnnl-dev): the native CPU backend's addon, built from
#     source by `npm run build`;
#   - with --test: Debian's Chromium and Vulkan's loader too (browser and WebGPU tests), and
#     redis-server (the distributed-compare tests start their own on a free port).
# Where it may not (no apt, no root), it says what to install and carries on: everything then
# installs and runs on the WASM backend, and `maxpoolbert info` says why native is missing.
# CI=1 turns that into a failure.
set -euo pipefail

packages=(g++ make python3 libdnnl-dev)
[[ " $* " == *" --test "* ]] && packages+=(chromium libvulkan1 redis-server)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

give_up() {
  echo "note: cannot install ${missing[*]} here ($1); install them with: sudo apt-get install ${missing[*]}" >&2
  echo "note: without them the native CPU backend is not built and everything runs on WASM" >&2
  [ -z "${CI:-}" ] || exit 1
  exit 0
}

command -v apt-get >/dev/null || give_up "no apt-get"
if [ "$(id -u)" = 0 ]; then SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n)
else give_up "not root and no password-less sudo"
fi

echo "installing ${missing[*]} (apt-get)" >&2
"${SUDO[@]}" apt-get update -qq || give_up "apt-get update failed"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || give_up "apt-get install failed"
