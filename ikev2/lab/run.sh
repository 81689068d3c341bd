#!/bin/bash
# Runs strongSwan 5.9.8 (kernel-libipsec) in a network namespace against StrongSwanHandshake in another, once per
# proposal variant, and prints what the client logged. Needs root, charon-systemd and swanctl (lab/README.md).
# Usage: mvn25 -q -pl ikev2 -am compile && ikev2/lab/run.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CLASSES="$HERE/../target/classes:$HERE/../../common/target/classes"
W=$(mktemp -d /tmp/ikev2-lab.XXXXXX)
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# Per-run names, so two runs on one host never share (or delete) each other's namespaces.
C=ikv2c$$; S=ikv2s$$
cleanup() {
  [ -f "$W/charon.pid" ] && kill "$(cat "$W/charon.pid")" 2>/dev/null
  [ -f "$W/gw.pid" ] && kill "$(cat "$W/gw.pid")" 2>/dev/null
  sleep 1; ip netns del $C 2>/dev/null; ip netns del $S 2>/dev/null
  echo "work dir (logs, received messages): $W"
}
trap cleanup EXIT
mkdir -p "$W/pki" "$W/sw/x509" "$W/sw/x509ca" "$W/sw/private"
cd "$W/pki"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=Test P2S Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=vpn.example.test" 2>/dev/null
printf "subjectAltName=DNS:vpn.example.test\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n" > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=client1" 2>/dev/null
printf "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n" > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile client.ext 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in server.key -outform DER -out server.pk8
openssl x509 -in server.crt -outform DER -out server.der; openssl x509 -in ca.crt -outform DER -out ca.der
cp client.crt ../sw/x509/; cp ca.crt ../sw/x509ca/; cp client.key ../sw/private/
cat > "$W/sw/strongswan.conf" <<EOF
charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    vici { socket = unix://$W/sw/charon.vici }
    kernel-libipsec { load = yes }
    resolve { file = $W/sw/resolv.conf }
  }
  retransmit_tries = 2
}
charon-systemd {
  journal { default = -1 }
  filelog { test { path = $W/sw/charon.log
                   default = 1
                   ike = 2
                   cfg = 2
                   flush_line = yes } }
}
EOF
write_conf() {
cat > "$W/sw/swanctl.conf" <<EOF
connections {
  p2s {
    version = 2
    remote_addrs = 10.77.9.1
    vips = 0.0.0.0
    encap = yes
    $1
    local  { auth = pubkey
             certs = client.crt }
    remote { auth = pubkey
             id = vpn.example.test
             cacerts = ca.crt }
    children { p2s { remote_ts = 0.0.0.0/0
                     start_action = none
                     $2 } }
  }
}
EOF
}
ip netns add $C; ip netns add $S
ip link add ${C}0 type veth peer name ${S}0
ip link set ${C}0 netns $C; ip link set ${S}0 netns $S
ip -n $C addr add 10.77.9.2/24 dev ${C}0; ip -n $S addr add 10.77.9.1/24 dev ${S}0
ip -n $C link set ${C}0 up; ip -n $S link set ${S}0 up; ip -n $C link set lo up; ip -n $S link set lo up
(ip netns exec $S "$JAVA" -cp "$CLASSES" "$HERE/StrongSwanHandshake.java" 10.77.9.1 "$W" > "$W/gw.log" 2>&1 & echo $! > "$W/gw.pid")
sleep 6
(ip netns exec $C env STRONGSWAN_CONF="$W/sw/strongswan.conf" /usr/sbin/charon-systemd > "$W/charon.out" 2>&1 & echo $! > "$W/charon.pid")
sleep 3
SW="ip netns exec $C env STRONGSWAN_CONF=$W/sw/strongswan.conf SWANCTL_DIR=$W/sw swanctl"
URI="--uri unix://$W/sw/charon.vici"
variant() {
  write_conf "$1" "$2"
  $SW --load-all $URI >/dev/null 2>&1
  out=$(timeout 60 $SW --initiate --child p2s --timeout 40 $URI 2>&1); rc=$?
  echo "== ike '$1' esp '$2' -> initiate exit $rc"
  echo "$out" | grep -E "selected proposal|peer didn't accept|authentication of|NO_PROPOSAL|AUTHENTICATION_FAILED|CHILD_SA p2s.* established"
  if echo "$out" | grep -q "CHILD_SA p2s.* established"; then
    # ESP both ways: the harness answers echo requests to the VNet's "VM" through the CHILD SA.
    ip netns exec $C ping -c 3 -i 0.3 -W 2 10.1.0.4 2>&1 | grep -E "packets transmitted"
    # Inner packets of 1 to 1328 bytes of payload: every padding length, up to the libipsec TUN's MTU of 1400.
    ip netns exec $C ping -c 40 -i 0.05 -W 2 -s 1300 10.1.0.4 2>&1 | grep -E "packets transmitted"
    for sz in $(seq 0 17); do ip netns exec $C ping -c 1 -W 2 -s $sz 10.1.0.4; done 2>&1 | grep -c " 0% packet loss" \
      | sed 's/$/ of 18 pings of 0..17 bytes answered/'
  fi
  if [ -n "${3:-}" ]; then
    timeout 30 $SW --rekey --child p2s $URI 2>&1 | grep -E "rekey|CHILD_SA p2s.* established|closed|failed"
    timeout 30 $SW --rekey --ike p2s $URI 2>&1 | grep -E "rekey|IKE_SA .* established|deleted|failed"
    echo "ping on the rekeyed CHILD SA:"
    ip netns exec $C ping -c 3 -i 0.3 -W 2 10.1.0.4 2>&1 | grep -E "packets transmitted"
    timeout 30 $SW --list-sas $URI 2>&1 | grep -E "ESTABLISHED|INSTALLED|ESP"
  fi
  timeout 30 $SW --terminate --ike p2s --timeout 20 $URI 2>&1 | grep -E "IKE_SA deleted|terminate"
}
variant "" "" rekey
variant "" "esp_proposals = aes256gcm16-ecp256" rekey
variant "proposals = aes256-sha256-modp3072-modp2048" ""
variant "proposals = aes256-sha1-modp1024" "esp_proposals = aes256-sha1"
variant "proposals = aes128gcm16-prfsha384-ecp384" "esp_proposals = aes128-sha256"
variant "proposals = aes256-sha512-ecp521" "esp_proposals = 3des-sha1"
