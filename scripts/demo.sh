#!/usr/bin/env bash
# The main job with embedded defaults: build, start the admission webhook on
# a self-signed certificate, check the bundled examples with the CLI, send
# the webhook one AdmissionReview, and stop it again. The examples' images
# name a registry on 127.0.0.1, so nothing beyond this machine is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent

demo=.demo
mkdir -p "$demo"
if [ ! -f "$demo/tls.crt" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 30 -subj /CN=modelgate-demo \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$demo/tls.key" -out "$demo/tls.crt" 2>/dev/null
fi

port=${MODELGATE_DEMO_PORT:-8443}
node bin/modelgate.js serve --host 127.0.0.1 --port "$port" \
  --tls-cert "$demo/tls.crt" --tls-key "$demo/tls.key" >"$demo/webhook.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT

for _ in $(seq 50); do
  curl -sf --cacert "$demo/tls.crt" "https://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done

echo "== modelgate check examples/manifests/ (embedded defaults: no trusted key yet)"
node bin/modelgate.js check examples/manifests/ || echo "(exit $? : something was denied)"

echo
echo "== modelgate check --config examples/modelgate.yaml examples/manifests/"
node bin/modelgate.js check --config examples/modelgate.yaml examples/manifests/ ||
  echo "(exit $? : something was denied)"

echo
echo "== webhook on https://127.0.0.1:$port/validate: the shadow-AI Deployment"
node -e '
  const yaml = require("yaml");
  const fs = require("fs");
  const obj = yaml.parseAllDocuments(fs.readFileSync("examples/manifests/shadow-ai.yaml", "utf8"))[0].toJS();
  process.stdout.write(JSON.stringify({
    apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview",
    request: { uid: "demo-1", operation: "CREATE", namespace: "team-a", name: "ollama",
      kind: { group: "apps", version: "v1", kind: "Deployment" },
      resource: { group: "apps", version: "v1", resource: "deployments" },
      object: obj, dryRun: false } }));
' | curl -s --cacert "$demo/tls.crt" -H 'content-type: application/json' \
  --data-binary @- "https://127.0.0.1:$port/validate"
echo
echo
echo "webhook log: $demo/webhook.log"
