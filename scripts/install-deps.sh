#!/usr/bin/env bash
# Installs the Debian packages the tests need, when they are missing (lab/README.md "Packages").
# --no-install-recommends: sstp-client's recommends would pull a whole desktop.
# user-mode-linux + kmod: the SSTP interop test runs sstpc + pppd inside UML, whose kernel has PPP (this one has none).
# softether-vpnserver + softether-vpncmd: the SSTP benchmark's reference server (bench/run --tunnel=sstp), which runs
# its own copy in the lab; the package's service is switched off so nothing listens on the host.
set -euo pipefail
pkgs=(openvpn postgresql chromium chromium-driver iperf3 iputils-ping nftables iproute2 curl unzip
      strongswan-pki strongswan-swanctl charon-systemd libcharon-extra-plugins libstrongswan-standard-plugins
      procps psmisc openssl python3
      user-mode-linux kmod sstp-client ppp
      softether-vpnserver softether-vpncmd)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[p2sgw] installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "[p2sgw] not root: cannot apt-get install; tests needing these will be skipped" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [[ " ${missing[*]} " == *" softether-vpnserver "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now softether-vpnserver || true
  fi
fi
