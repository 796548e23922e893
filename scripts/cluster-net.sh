#!/usr/bin/env bash
# The network plumbing of `npm run cluster` (scripts/cluster.ts): one network namespace per host, each joined to one
# bridge by a veth pair, on a private subnet of its own. The root namespace holds the bridge's address (.1), so the
# load generator on this machine reaches the hosts; nothing is routed beyond the bridge.
#
#   cluster-net.sh check                       exit 0 when root and `ip netns` are there
#   cluster-net.sh up <prefix> <name>=<n>...   e.g. up 10.231.0 pg=2 redis=3: namespace ttc-pg with 10.231.0.2/24
#   cluster-net.sh add <prefix> <name>=<n>     one more host on the bridge
#   cluster-net.sh cut <name> | mend <name>    the host's cable out (its veth down) and back in
#   cluster-net.sh down                        every ttc-* namespace, veth and the bridge gone (safe to repeat)
set -euo pipefail

BRIDGE=ttc-br0
NS=ttc-

check() {
  [[ $(id -u) == 0 ]] || { echo "not root"; exit 1; }
  command -v ip >/dev/null || { echo "no ip (iproute2)"; exit 1; }
  ip netns add ttc-probe 2>/dev/null || { echo "ip netns does not work here"; exit 1; }
  ip netns del ttc-probe
}

add_host() {
  local prefix=$1 name=${2%%=*} n=${2#*=}
  ip netns add "$NS$name"
  ip link add "$NS$name" type veth peer name eth0 netns "$NS$name"
  ip link set "$NS$name" master "$BRIDGE" up
  ip -n "$NS$name" addr add "$prefix.$n/24" dev eth0
  ip -n "$NS$name" link set eth0 up
  ip -n "$NS$name" link set lo up
}

up() {
  local prefix=$1
  shift
  ip link add "$BRIDGE" type bridge
  ip addr add "$prefix.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for host in "$@"; do add_host "$prefix" "$host"; done
}

down() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^$NS" || true); do
    # Processes still running in a namespace keep it; the caller has stopped its own already.
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$NS" || true); do
    ip link del "$link" 2>/dev/null || true
  done
}

case ${1:-} in
  check) check ;;
  up) shift; up "$@" ;;
  add) add_host "$2" "$3" ;;
  cut) ip link set "$NS$2" down ;;
  mend) ip link set "$NS$2" up ;;
  down) down ;;
  *) echo "usage: $0 check|up|add|cut|mend|down" >&2; exit 2 ;;
esac
