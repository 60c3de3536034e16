#!/usr/bin/env bash
# Measures how long the other pods take to see a kill -9'd pod as SUSPECT and DEAD, with the
# default settings (heartbeat 500 ms, timeout 2 s => DEAD after 6 s) unless KUBECHAT_* overrides
# are exported. Starts a 3-pod local cluster, kills pod-3, polls pod-1's /status every 50 ms.
#   chat-pod/bench/kill-to-dead.sh [runs]        (KUBECHAT_LOCAL_BASE as for local-cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-1}"
base="${KUBECHAT_LOCAL_BASE:-127.0.0}"
out=$(mktemp)

state_of() { # observer-ip node
  curl -fs "http://$1:9090/status" 2>/dev/null | python3 -c \
    "import sys,json; d=json.load(sys.stdin); print(next((m['state'] for m in d['members'] if m['node']=='$2'), 'NONE'))" \
    2>/dev/null || echo "DOWN"
}

for run in $(seq 1 "$runs"); do
  ./local-cluster.sh 3 >"$out" 2>&1 &
  cluster=$!
  until grep -q "Ctrl-C stops" "$out"; do
    kill -0 "$cluster" 2>/dev/null || { cat "$out"; exit 1; }
    sleep 0.2
  done
  until [[ "$(curl -fs "http://$base.2:9090/status" | grep -o '"state":"ALIVE"' | wc -l)" == 3 ]]; do sleep 0.2; done
  victim=$(grep '^pod-3:' "$out" | sed 's/.*(pid \([0-9]*\)).*/\1/')
  t0=$(date +%s%N)
  kill -9 "$victim"
  suspect=""
  while true; do
    s=$(state_of "$base.2" pod-3)
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [[ "$s" == SUSPECT && -z "$suspect" ]]; then suspect=$ms; fi
    if [[ "$s" == DEAD ]]; then break; fi
    sleep 0.05
  done
  echo "run $run: kill -9 -> SUSPECT ${suspect:-?} ms, -> DEAD $ms ms"
  kill -TERM "$cluster"
  wait "$cluster" 2>/dev/null || true
done
rm -f "$out"
