#!/usr/bin/env bash
# Sustained DHCPv4 4-way exchange rate of our sample server and of Kea (kea-dhcp4, memfile with persist on),
# one after the other, on the same namespaces, under the same perfdhcp load. Prints both rates and their ratio.
# The sustained rate is the highest perfdhcp rate (-r) at which both exchanges (DISCOVER-OFFER, REQUEST-ACK)
# lose under 1 % of packets (answers arriving within 0.5 s after sending stops count as received). Needs root, iproute2, kea-dhcp4-server, kea-admin (perfdhcp), the .NET SDK.
# Our server is measured once per store given after the period: memory (default), sqlite (a fresh file per
# trial), postgresql:NPGSQL-CONNECTION-STRING (a fresh database "dhcpbench" per trial, made with psql; the
# server runs in a network namespace, so give the Unix socket directory as host, e.g.
# postgresql:Host=/tmp;Port=54329;Username=postgres).
# Usage: sudo [WARMUP=seconds, default 15] benchmarks/dhcp-vs-kea.sh [seconds per trial, default 5] [memory|sqlite|postgresql:CS]...
set -euo pipefail
cd "$(dirname "$0")/.."
period="${1:-5}"
warmup="${WARMUP:-15}"
shift || true
stores=("${@:-memory}")
run="dhcpbench-$$"
srv="$run-s" cli="$run-c"
work="$(mktemp -d)"
server_pid=""

cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  ip netns del "$srv" 2>/dev/null || true
  ip netns del "$cli" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release samples/DhcpServer -v quiet --nologo >/dev/null
ours_dll="samples/DhcpServer/bin/Release/net10.0/DhcpServer.dll"

ip netns add "$srv"
ip netns add "$cli"
ip link add vsrv netns "$srv" type veth peer name vcli netns "$cli"
ip -n "$srv" addr add 10.88.0.2/16 dev vsrv
ip -n "$cli" addr add 10.88.0.3/16 dev vcli
ip -n "$srv" link set vsrv up
ip -n "$cli" link set vcli up
ip -n "$srv" link set lo up
ip -n "$cli" link set lo up

# Kea's multi-threaded mode for the kea-mt runs (Kea 2.2 runs single-threaded unless told otherwise).
kea_threads='"multi-threading": { "enable-multi-threading": true, "thread-pool-size": 8, "packet-queue-size": 64 },'

# Kea's configuration for lease database $1 (a JSON object), with extra settings $2.
kea_config() {
  cat >"$work/kea.json" <<JSON
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "vsrv" ], "dhcp-socket-type": "udp" },
    "lease-database": $1, ${2:-}
    "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 3150,
    "subnet4": [ { "id": 1, "subnet": "10.88.0.0/16", "pools": [ { "pool": "10.88.1.0 - 10.88.255.254" } ],
                   "option-data": [ { "name": "routers", "data": "10.88.0.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$work/kea.log" } ] } ] } }
JSON
}

# The --store argument of our server for store $1, on a fresh file or database.
store_argument() {
  case "$1" in
    memory) echo "memory" ;;
    sqlite) rm -f "$work"/ours.db*; echo "sqlite:$work/ours.db" ;;
    postgresql:*)
      local cs="${1#postgresql:}" libpq
      libpq="$(tr ';' '\n' <<<"$cs" | sed -E 's/^[Hh]ost=/host=/; s/^[Pp]ort=/port=/; s/^([Uu]sername|[Uu]ser [Ii]d)=/user=/; s/^[Pp]assword=/password=/; /^[Dd]atabase=/d' | tr '\n' ' ')"
      psql "$libpq dbname=postgres" -q -c "DROP DATABASE IF EXISTS dhcpbench WITH (FORCE)" -c "CREATE DATABASE dhcpbench" >/dev/null
      echo "postgresql:$cs;Database=dhcpbench" ;;
    *) echo "unknown store $1" >&2; exit 2 ;;
  esac
}

start_server() {
  case "$1" in
    ours:*)
      local store
      store="$(store_argument "${1#ours:}")"
      Logging__LogLevel__Default=Warning ip netns exec "$srv" dotnet "$ours_dll" --interface vsrv \
        --subnet 10.88.0.0/16 --router 10.88.0.1 --pool 10.88.1.0-10.88.255.254 --lease-time 3600 \
        --store "$store" >"$work/ours.log" 2>&1 &
      ;;
    kea|kea:*|kea-mt:*)
      if [[ "$1" == kea:postgresql:* || "$1" == kea-mt:postgresql:* ]]; then
        # Kea's own PostgreSQL lease backend on the same server, a fresh database per trial.
        local cs="${1#*:postgresql:}" host port user threads=""
        [[ "$1" == kea-mt:* ]] && threads="$kea_threads"
        host="$(tr ';' '\n' <<<"$cs" | sed -nE 's/^[Hh]ost=//p')"
        port="$(tr ';' '\n' <<<"$cs" | sed -nE 's/^[Pp]ort=//p')"
        user="$(tr ';' '\n' <<<"$cs" | sed -nE 's/^([Uu]sername|[Uu]ser [Ii]d)=//p')"
        psql "host=$host port=${port:-5432} user=$user dbname=postgres" -q \
          -c "DROP DATABASE IF EXISTS keabench WITH (FORCE)" -c "CREATE DATABASE keabench" >/dev/null
        kea-admin db-init pgsql -h "$host" -P "${port:-5432}" -u "$user" -n keabench >/dev/null 2>&1
        kea_config "{ \"type\": \"postgresql\", \"name\": \"keabench\", \"host\": \"$host\", \"port\": ${port:-5432}, \"user\": \"$user\" }" "$threads"
      else
        rm -f "$work"/kea-leases.csv*
        kea_config "{ \"type\": \"memfile\", \"persist\": true, \"name\": \"$work/kea-leases.csv\", \"lfc-interval\": 0 }"
      fi
      KEA_PIDFILE_DIR="$work" KEA_LOCKFILE_DIR="$work" ip netns exec "$srv" kea-dhcp4 -c "$work/kea.json" >"$work/kea.out" 2>&1 &
      ;;
  esac
  server_pid=$!
  sleep 3
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# Prints "offer_drop_percent ack_drop_percent completed_exchanges" for one trial at rate $2 against a fresh server $1.
trial() {
  start_server "$1"
  local out
  # Warm-up at a low rate (caches for both servers; for ours, the JIT: the tiered recompilation of the hot
  # paths takes several seconds of CPU on a 2-core machine, its compiler thread took 30 % of our server's CPU
  # over the 10 s after a 3 s warm-up, under 1 % after 15 s), then the measured run, so that both servers are measured in their
  # steady state, as a server runs. -W: answers still in flight when sending stops get half a second to
  # arrive, so that a drop is a lost packet, not a late one (a real client waits about 4 s before it retransmits).
  ip netns exec "$cli" perfdhcp -4 -l vcli -r 300 -p "$warmup" -R 1000000 10.88.0.2 >/dev/null 2>&1 || true
  out="$(ip netns exec "$cli" perfdhcp -4 -l vcli -r "$2" -p "$period" -W 500000 -R 1000000 10.88.0.2 2>&1 || true)"
  stop_server
  awk '
    /DISCOVER-OFFER/ { section = 1 } /REQUEST-ACK/ { section = 2 }
    /^sent packets:/ { sent[section] = $3 } /^received packets:/ { received[section] = $3 }
    END {
      for (s = 1; s <= 2; s++) drop[s] = sent[s] ? 100 * (sent[s] - received[s]) / sent[s] : 100
      printf "%.2f %.2f %d\n", drop[1], drop[2], received[2]
    }' <<<"$out"
}

# Doubles the rate until drops reach 1 %, then bisects between the last good and the first bad rate.
sustained() {
  local server="$1" good=0 bad=0 rate=500 result
  while :; do
    read -r d1 d2 done <<<"$(trial "$server" "$rate")"
    echo "  $server at $rate/s: offer drops $d1 %, ack drops $d2 %, $done exchanges" >&2
    if awk "BEGIN { exit !($d1 < 1 && $d2 < 1) }"; then good=$rate; rate=$((rate * 2)); else bad=$rate; break; fi
    ((rate > 64000)) && break
  done
  while ((bad > 0 && bad - good > good / 10 && bad - good > 50)); do
    rate=$(((good + bad) / 2))
    read -r d1 d2 done <<<"$(trial "$server" "$rate")"
    echo "  $server at $rate/s: offer drops $d1 %, ack drops $d2 %, $done exchanges" >&2
    if awk "BEGIN { exit !($d1 < 1 && $d2 < 1) }"; then good=$rate; else bad=$rate; fi
  done
  echo "$good"
}

echo "perfdhcp trials of ${period} s, fresh server per trial:"
declare -A ours
for store in "${stores[@]}"; do
  ours[$store]="$(sustained "ours:$store")"
done
kea="$(sustained kea)"
declare -A kea_pg kea_pg_mt
for store in "${stores[@]}"; do
  if [[ "$store" == postgresql:* ]]; then
    kea_pg[$store]="$(sustained "kea:$store")"
    kea_pg_mt[$store]="$(sustained "kea-mt:$store")"
  fi
done
echo
echo "sustained 4-way exchanges/s (under 1 % drops), Kea $(kea-dhcp4 -v) (memfile, persist) $kea"
for store in "${stores[@]}"; do
  awk -v name="${store%%:*}" -v ours="${ours[$store]}" -v kea="$kea" 'BEGIN {
    printf "CloudTemple.Networking.Dhcp (%s store) %d: ", name, ours
    if (kea > 0) printf "%.2f x Kea memfile\n", ours / kea; else print "n/a (Kea sustained no rate)" }'
  if [[ "$store" == postgresql:* ]]; then
    awk -v ours="${ours[$store]}" -v kea="${kea_pg[$store]}" 'BEGIN {
      printf "Kea (postgresql lease database, same server) %d; ours on postgresql: ", kea
      if (kea > 0) printf "%.2f x Kea on postgresql\n", ours / kea; else print "n/a" }'
    awk -v ours="${ours[$store]}" -v kea="${kea_pg_mt[$store]}" 'BEGIN {
      printf "Kea multi-threaded (8 threads, postgresql, same server) %d; ours on postgresql: ", kea
      if (kea > 0) printf "%.2f x Kea multi-threaded on postgresql\n", ours / kea; else print "n/a" }'
  fi
done
