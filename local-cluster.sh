#!/usr/bin/env bash
# Builds the chat pod jar if it is missing or older than its sources, then starts N chat pods
# (default 3) as separate processes on 127.0.0.2 .. 127.0.0.(N+1), all on client port 8080 (chat
# page, /ws) and admin port 9090 (/status, /metrics, /readyz), joined by static discovery; they form the consensus (Raft) group among themselves. Ctrl-C stops them all.
# Each pod keeps its consensus member in chat-pod/target/local-cluster/pod-N/ (KUBECHAT_DATA_DIR),
# so a pod killed and started again under the same name rejoins as the same member, and the
# history survives a restart of the script; --clean empties those directories first.
#   ./local-cluster.sh [--clean] [N]
# The pods run a closed cluster: the script makes one CA and one member certificate with openssl
# (once, kept in chat-pod/target/local-cluster/cluster-ca/ and cluster-tls/) and passes
# KUBECHAT_CLUSTER_TLS_DIR; set KUBECHAT_CLUSTER_TLS_DIR to your own directory to use that, or to
# an empty value for an open cluster (docs/security.md).
# Environment: KUBECHAT_LOCAL_BASE (first three octets, default 127.0.0), KUBECHAT_CLUSTER_NAME
# (default kubechat-local), KUBECHAT_AUTH (default none here, with a warning), and any other
# KUBECHAT_* variable (docs/configuration.md) is passed on.
set -euo pipefail
cd "$(dirname "$0")"

clean=false
if [[ "${1:-}" == "--clean" ]]; then
  clean=true
  shift
fi
n="${1:-3}"
if ! [[ "$n" =~ ^[0-9]+$ ]] || (( n < 1 || n > 50 )); then
  echo "usage: $0 [--clean] [number of pods, 1-50]" >&2
  exit 2
fi
base="${KUBECHAT_LOCAL_BASE:-127.0.0}"
jar=chat-pod/target/kubechat-chat-pod.jar
logs=chat-pod/target/local-cluster
http_port="${KUBECHAT_HTTP_PORT:-8080}"
admin_port="${KUBECHAT_ADMIN_PORT:-9090}"
hz_port="${KUBECHAT_HAZELCAST_PORT:-5701}"

if [[ ! -f "$jar" ]] || [[ -n "$(find chat-pod/src chat-pod/pom.xml pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..."
  ./mvnw -B -q -pl chat-pod -am package -DskipTests
fi
mkdir -p "$logs"
if $clean; then
  echo "removing the pods' data directories ($logs/pod-*/) ..."
  rm -rf "$logs"/pod-*/
fi

# local development chats anonymously unless KUBECHAT_AUTH (and a key) is exported (docs/security.md)
export KUBECHAT_AUTH="${KUBECHAT_AUTH:-none}"
if [[ "$KUBECHAT_AUTH" == "none" ]]; then
  echo "WARNING: KUBECHAT_AUTH=none: clients are not authenticated, anyone can send as any user." >&2
  echo "         Export KUBECHAT_AUTH=jwt and KUBECHAT_AUTH_JWT_KEY_FILE to try tokens." >&2
fi

# One CA and one member certificate for all pods (EC P-256, PKCS#8 keys): only processes holding
# it take part in the event bus. Made once; delete both directories to get new ones.
tls_dir="${KUBECHAT_CLUSTER_TLS_DIR-$PWD/$logs/cluster-tls}"
if [[ -z "${KUBECHAT_CLUSTER_TLS_DIR+set}" && ! -f "$tls_dir/tls.key" ]]; then
  command -v openssl >/dev/null || { echo "openssl is needed for the cluster certificates" >&2; exit 1; }
  echo "creating the local cluster CA and member certificate in $tls_dir ..."
  ca_dir="$PWD/$logs/cluster-ca"
  mkdir -p "$ca_dir" "$tls_dir"
  chmod 700 "$ca_dir" "$tls_dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=kubechat local cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$ca_dir/ca.key" -out "$ca_dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=kubechat local member" \
    -keyout "$tls_dir/tls.key" -out "$ca_dir/member.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" >"$ca_dir/member.ext"
  openssl x509 -req -in "$ca_dir/member.csr" -CA "$ca_dir/ca.crt" -CAkey "$ca_dir/ca.key" \
    -CAcreateserial -days 365 -extfile "$ca_dir/member.ext" -out "$tls_dir/tls.crt" 2>/dev/null
  cp "$ca_dir/ca.crt" "$tls_dir/ca.crt"
  chmod 600 "$ca_dir/ca.key" "$tls_dir/tls.key"
fi
if [[ -z "$tls_dir" ]]; then
  echo "WARNING: KUBECHAT_CLUSTER_TLS_DIR is empty: an OPEN cluster, any local process can join it" >&2
fi

members=""
for i in $(seq 2 $((n + 1))); do
  members="${members:+$members,}$base.$i:$hz_port"
done

pids=()
stop_all() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo "stopping ${#pids[@]} pod(s) ..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

for i in $(seq 2 $((n + 1))); do
  ip="$base.$i"
  # with the cluster's size, the pods form the consensus group once all of them answer (pod-1
  # forms it); a pod restored from its data directory brings its group back instead
  KUBECHAT_CLUSTER_SIZE="$n" KUBECHAT_NODE_NAME="pod-$((i - 1))" KUBECHAT_POD_IP="$ip" \
  KUBECHAT_CLUSTER_NAME="${KUBECHAT_CLUSTER_NAME:-kubechat-local}" KUBECHAT_DISCOVERY=static \
  KUBECHAT_STATIC_MEMBERS="$members" KUBECHAT_HTTP_PORT="$http_port" KUBECHAT_ADMIN_PORT="$admin_port" \
  KUBECHAT_DATA_DIR="$PWD/$logs/pod-$((i - 1))" KUBECHAT_CLUSTER_TLS_DIR="$tls_dir" \
    java -Xmx256m -jar "$jar" >"$logs/pod-$((i - 1)).log" 2>&1 &
  pids+=($!)
done

echo "waiting for ${n} pod(s) to be ready (logs in $logs/) ..."
for i in $(seq 2 $((n + 1))); do
  ip="$base.$i"
  idx=$((i - 2))
  until curl -fs "http://$ip:$admin_port/readyz" >/dev/null 2>&1; do
    if ! kill -0 "${pids[$idx]}" 2>/dev/null; then
      echo "pod-$((i - 1)) on $ip failed to start; last lines of its log:" >&2
      tail -n 20 "$logs/pod-$((i - 1)).log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

for i in $(seq 2 $((n + 1))); do
  ip="$base.$i"
  echo "pod-$((i - 1)): chat http://$ip:$http_port/   status http://$ip:$admin_port/status   (pid ${pids[$((i - 2))]})"
done
echo "Ctrl-C stops all pods."

# Keep running when one pod dies (kill -9 the leader to watch a new one elected; SUSPECT then DEAD).
wait "${pids[@]}" || true
