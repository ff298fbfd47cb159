#!/usr/bin/env python3
"""What deploy/ promises, checked against the files and the server's source (no network, no Docker, no cluster).

Usage: check-policy.py REPO_ROOT KUSTOMIZE_OUTPUT.yaml
- every setting the deployment sets (Section__Key environment variables) is one the server reads (src/) and one
  docs/configuration.md documents;
- compose: nodes read-only with tmpfs /tmp, secrets mounted, health checks, reachable only through nginx; Redis
  append-only; images pinned;
- Kubernetes: probes, resources, non-root, read-only root, no capabilities, preStop drain, no Secret values committed,
  every Secret it references is documented in docs/deploy.md; Ingress timeouts, cookie affinity on the hubs only; HPA; PDB;
- Dockerfile: COPY sources exist, non-root numeric USER, HEALTHCHECK, fonts = the Pdf:* defaults in src/;
- nginx.conf: both nodes, the API round-robin, /hubs/ sticky (ip_hash) with WebSocket upgrade and long timeouts;
- web client: its hub connections use stateful reconnect.
Prints one line per failed check and a summary; exit 1 if any failed.
"""
import re
import sys
from pathlib import Path

import yaml

root = Path(sys.argv[1])
kustomized = list(yaml.safe_load_all(Path(sys.argv[2]).read_text(encoding="utf-8")))
failures, warnings, passed = [], [], 0


def check(condition, message):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(message)


# ---------- settings the server reads ----------
def server_settings():
    known = set()
    for source in (root / "src").rglob("*.cs"):
        if "/obj/" in str(source) or "/bin/" in str(source):
            continue
        text = source.read_text(encoding="utf-8")
        # Options classes: const string Section = "X"; public T Name { get; set; }
        for match in re.finditer(r"class\s+\w+[^{]*\{(.*?)\n\}", text, re.S):
            body = match.group(1)
            section = re.search(r'const\s+string\s+Section\s*=\s*"(\w+)"', body)
            if section:
                for prop in re.finditer(r"public\s+[\w<>\[\]?,. ]+\s+(\w+)\s*\{\s*get;\s*set;", body):
                    known.add(f"{section.group(1)}:{prop.group(1)}")
        # Settings read by name: "Redis:ConnectionString", GetValue("Logging:Json", ...)
        known.update(re.findall(r'"([A-Z]\w+:[A-Z]\w+)"', text))
    return known


known = server_settings()
print(f"  {len(known)} settings read by the server (src/)")
configuration = (root / "docs/configuration.md").read_text(encoding="utf-8")
configuration_tables = "\n".join(line for line in configuration.splitlines() if line.startswith("| `"))


def setting_of(variable):
    """Database__ConnectionString -> Database:ConnectionString; Turn__TurnUrls__0 -> Turn:TurnUrls."""
    parts = [p for p in variable.split("__") if not p.isdigit()]
    return ":".join(parts) if len(parts) >= 2 and parts[0][0].isupper() else None


def check_settings(where, names):
    for name in names:
        setting = setting_of(name)
        if setting is None:
            continue
        # A dictionary setting (Sms:DltTemplateIds) takes keys of its own below it.
        read = setting in known or any(setting.startswith(f"{k}:") for k in known)
        check(read, f"{where}: {name} sets {setting}, which the server does not read (src/)")
        if setting in known and f"`{setting}`" not in configuration_tables:
            warnings.append(f"{where}: {setting} is read by the server but not in docs/configuration.md")


# ---------- compose ----------
compose = yaml.safe_load((root / "deploy/compose.yaml").read_text(encoding="utf-8"))
services = compose["services"]
# Every SMS of the message catalogue needs its DLT template id in each language, or the server refuses to start.
SMS_TEMPLATES = re.findall(r"MessageTemplate\s+\w+\s*=\s*Sms\(\s*\"(\w+)\"", (root / "src/Telemed.Domain/Messages/MessageCatalogue.cs").read_text(encoding="utf-8"))
check(len(SMS_TEMPLATES) >= 10, f"message catalogue: only {len(SMS_TEMPLATES)} SMS templates found (has its shape changed?)")
# English and Hindi, and each language with its template texts in Messages/Translations/.
LANGUAGES = ["en", "hi"] + [m for f in sorted((root / "src/Telemed.Domain/Messages/Translations").glob("*.cs"))
                            for m in re.findall(r'public const string Language = "(\w+)";', f.read_text(encoding="utf-8"))]
check(len(LANGUAGES) >= 3, f"message catalogue: only {LANGUAGES} found (has its shape changed?)")
for name in ("postgres", "redis", "telemed-a", "telemed-b", "nginx", "coturn"):
    check(name in services, f"compose: service {name} missing")
for name in ("telemed-a", "telemed-b"):
    node = services.get(name, {})
    env = node.get("environment", {})
    check_settings(f"compose {name}", env.keys())
    for required in ("Database__ConnectionString", "Redis__ConnectionString", "Turn__Secret", "Prescriptions__PublicBaseUrl",
                     "Auth__SigningKeyPath", "Prescriptions__KeyDirectory"):
        check(required in env, f"compose {name}: {required} not set")
    for template in SMS_TEMPLATES:
        for language in LANGUAGES:
            check(f"Sms__DltTemplateIds__{template}__{language}" in env, f"compose {name}: no DLT template id for the SMS {template} ({language})")
    check(env.get("Redis__ConnectionString", "").startswith("redis:6379,ssl=true,password=") and env.get("Redis__CaCertificatePath") == "/run/secrets/ca-certificate/ca.pem",
          f"compose {name}: Redis connection string (TLS, a password, the deployment's CA)")
    check(node.get("read_only") is True, f"compose {name}: read_only is not true")
    check(any(str(t).startswith("/tmp") for t in node.get("tmpfs", [])), f"compose {name}: no tmpfs on /tmp")
    check("ports" not in node, f"compose {name}: publishes ports (reach the nodes through nginx only)")
    check("healthcheck" in node, f"compose {name}: no healthcheck")
    targets = {s["target"] for s in node.get("secrets", []) if isinstance(s, dict)}
    check(env.get("Auth__SigningKeyPath", "").startswith("/run/secrets/access-token/") and "access-token" in targets,
          f"compose {name}: the access-token key is not read from its mounted secret")
    check(env.get("Prescriptions__KeyDirectory") == "/run/secrets/prescription-keys" and "prescription-keys" in targets,
          f"compose {name}: the prescription keys are not read from their mounted secret")
# Redis's settings (TLS only, a password, append-only) are in the redis.conf make-secrets.sh writes; the nodes must use TLS.
check(services["redis"].get("command", [])[-1:] == ["/run/secrets/redis/redis.conf"], "compose redis: not started with the redis.conf secret")
for name in ("telemed-a", "telemed-b"):
    redis_connection = services[name].get("environment", {}).get("Redis__ConnectionString", "")
    check("ssl=true" in redis_connection and "password=" in redis_connection, f"compose {name}: Redis is reached without TLS or a password")
check(services["redis"]["image"].startswith("redis:7"), "compose redis: not Redis 7")
check(services["postgres"]["image"].startswith("postgres:15"), "compose postgres: not PostgreSQL 15")
# What keeps a TURN credential from being a free relay into our networks or a bandwidth sink, in both deployments.
COTURN_LIMITS = ("--user-quota=", "--total-quota=", "--max-bps=", "--bps-capacity=", "--denied-peer-ip=10.0.0.0-",
                 "--denied-peer-ip=127.0.0.0-", "--denied-peer-ip=::1", "--denied-peer-ip=::ffff:0.0.0.0-", "--denied-peer-ip=fc00::-",
                 "--denied-peer-ip=fe80::-")
coturn_args = " ".join(services["coturn"].get("command", []))
check("--static-auth-secret" not in coturn_args and "-c /run/secrets/turn/turnserver.conf" in coturn_args,
      "compose coturn: the shared secret must come from the turnserver.conf secret, not the command line")
# TURN over TLS: coturn ends it with the certificate mounted beside its shared secret; TLS before 1.2 refused.
COTURN_TLS = ("--tls-listening-port=5349", "--cert=/run/secrets/turn/tls.pem", "--pkey=/run/secrets/turn/tls.key", "--no-tlsv1 ", "--no-tlsv1_1")
for flag in ("--use-auth-secret", "--realm=", "--listening-port=3478", "--min-port=", "--max-port=") + COTURN_LIMITS + COTURN_TLS:
    check(flag in coturn_args + " ", f"compose coturn: {flag.strip()} missing")
check("--no-tls " not in coturn_args + " ", "compose coturn: --no-tls turns TURN over TLS off")
for name in ("telemed-a", "telemed-b"):
    urls = [v for k, v in services[name].get("environment", {}).items() if k.startswith("Turn__TurnUrls__")]
    check(any(u.startswith("turns:") and ":${TELEMED_HTTPS_PORT:-443}?transport=tcp" in u for u in urls),
          f"compose {name}: no turns: URL on the HTTPS port among {urls}")
# Forwarded client addresses are believed only from nginx: a single address, nginx's own on the backend network.
nginx_address = (services["nginx"].get("networks") or {}).get("backend", {}) if isinstance(services["nginx"].get("networks"), dict) else {}
for name in ("telemed-a", "telemed-b"):
    node = services[name]
    env = node.get("environment", {})
    proxies = [v for k, v in env.items() if k.startswith("Security__TrustedProxies__")]
    check(proxies == [nginx_address.get("ipv4_address")] and "/" not in proxies[0],
          f"compose {name}: Security__TrustedProxies must be nginx's fixed address alone, not {proxies}")
for name, service in services.items():
    image = service.get("image", "")
    check(":" in image and not image.endswith(":latest"), f"compose {name}: image '{image}' is not pinned to a tag")
    check("healthcheck" in service or name == "coturn", f"compose {name}: no healthcheck")
check(all(s.get("read_only") for n, s in services.items() if n == "nginx"), "compose nginx: read_only is not true")

# ---------- Kubernetes ----------
objects = {(o["kind"], o["metadata"]["name"]): o for o in kustomized if o}
check(not any(kind == "Secret" for kind, _ in objects), "k8s: a Secret object is committed (reference Secrets, never hold values)")
for path in (root / "deploy/k8s").glob("*.yaml"):
    check(not re.search(r"^kind:\s*Secret\s*$", path.read_text(encoding="utf-8"), re.M), f"{path.name}: contains a Secret")
deployment = objects.get(("Deployment", "telemed"))
check(deployment is not None, "k8s: Deployment telemed missing")
docs = (root / "docs/deploy.md").read_text(encoding="utf-8") if (root / "docs/deploy.md").exists() else ""
check(bool(docs), "docs/deploy.md missing")
if deployment:
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    check(spec.get("replicas") == 2, "k8s telemed: replicas is not 2")
    check(container.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/health/ready", "k8s telemed: readiness is not /health/ready")
    check(container.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/health/live", "k8s telemed: liveness is not /health/live")
    check("startupProbe" in container, "k8s telemed: no startupProbe")
    resources = container.get("resources", {})
    check({"cpu", "memory"} <= set(resources.get("requests", {})) and "memory" in resources.get("limits", {}),
          "k8s telemed: resource requests (cpu, memory) and a memory limit are required")
    pod_security, container_security = pod.get("securityContext", {}), container.get("securityContext", {})
    check(pod_security.get("runAsNonRoot") is True and pod_security.get("runAsUser") == 10001, "k8s telemed: not runAsNonRoot as uid 10001")
    check(container_security.get("readOnlyRootFilesystem") is True, "k8s telemed: root filesystem not read-only")
    check(container_security.get("allowPrivilegeEscalation") is False, "k8s telemed: privilege escalation allowed")
    check(container_security.get("capabilities", {}).get("drop") == ["ALL"], "k8s telemed: capabilities not dropped")
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    check("/tmp" in mounts and "emptyDir" in volumes.get(mounts["/tmp"]["name"], {}), "k8s telemed: /tmp is not an emptyDir")
    check("preStop" in container.get("lifecycle", {}), "k8s telemed: no preStop drain")
    check(20 <= pod.get("terminationGracePeriodSeconds", 30) <= 60, "k8s telemed: terminationGracePeriodSeconds out of 20-60")
    env = {e["name"]: e for e in container.get("env", [])}
    config_map = objects.get(("ConfigMap", "telemed-config"), {}).get("data", {})
    check_settings("k8s Deployment telemed", env.keys())
    check_settings("k8s ConfigMap telemed-config", config_map.keys())
    for template in SMS_TEMPLATES:
        for language in LANGUAGES:
            check(f"Sms__DltTemplateIds__{template}__{language}" in config_map, f"k8s telemed-config: no DLT template id for the SMS {template} ({language})")
    for name, entry in env.items():
        if re.search(r"Secret|Password|ConnectionString|Key$", name) and not name.endswith("Path"):
            check("valueFrom" in entry, f"k8s telemed: {name} has a literal value (use a secretKeyRef)")
    for name in ("Database__ConnectionString", "Redis__ConnectionString", "Turn__Secret"):
        check(name in env, f"k8s telemed: {name} not set")
    for mount_path, setting in (("/run/secrets/access-token", "Auth__SigningKeyPath"), ("/run/secrets/prescription-keys", "Prescriptions__KeyDirectory")):
        mount = mounts.get(mount_path)
        check(mount is not None and mount.get("readOnly") is True and "secret" in volumes.get(mount["name"], {}),
              f"k8s telemed: {mount_path} is not a read-only Secret volume")
        check(config_map.get(setting, "").startswith(mount_path), f"k8s telemed-config: {setting} does not point into {mount_path}")
    referenced = {e["valueFrom"]["secretKeyRef"]["name"] for e in env.values() if "secretKeyRef" in e.get("valueFrom", {})}
    referenced |= {v["secret"]["secretName"] for v in volumes.values() if "secret" in v}
    for obj in kustomized:
        for tls in (obj or {}).get("spec", {}).get("tls", []) if (obj or {}).get("kind") == "Ingress" else []:
            referenced.add(tls["secretName"])
    coturn = objects.get(("Deployment", "coturn"))
    if coturn:
        referenced |= {e["valueFrom"]["secretKeyRef"]["name"] for e in coturn["spec"]["template"]["spec"]["containers"][0].get("env", [])
                       if "secretKeyRef" in e.get("valueFrom", {})}
        referenced |= {source["secret"]["name"] for volume in coturn["spec"]["template"]["spec"].get("volumes", [])
                       for source in volume.get("projected", {}).get("sources", []) if "secret" in source}
    for secret in sorted(referenced):
        check(secret in docs, f"k8s: Secret {secret} is referenced but docs/deploy.md does not say how to create it")
service = objects.get(("Service", "telemed"), {})
check(service.get("spec", {}).get("sessionAffinity", "None") == "None", "k8s Service telemed: session affinity set")
ingresses = [o for o in kustomized if o and o["kind"] == "Ingress"]
hub_ingress = [i for i in ingresses if any(p["path"].startswith("/hubs") for r in i["spec"]["rules"] for p in r["http"]["paths"])]
check(bool(hub_ingress), "k8s: no Ingress path for /hubs")
for ingress in hub_ingress:
    annotations = ingress["metadata"].get("annotations", {})
    for key in ("proxy-read-timeout", "proxy-send-timeout"):
        check(int(annotations.get(f"nginx.ingress.kubernetes.io/{key}", "0")) >= 3600, f"k8s Ingress {ingress['metadata']['name']}: {key} < 3600")
    check(annotations.get("nginx.ingress.kubernetes.io/affinity") == "cookie", f"k8s Ingress {ingress['metadata']['name']}: no cookie affinity on the hubs")
for ingress in ingresses:
    if ingress not in hub_ingress:
        check(not any("affinity" in a for a in ingress["metadata"].get("annotations", {})), f"k8s Ingress {ingress['metadata']['name']}: affinity on the API")
hpa = objects.get(("HorizontalPodAutoscaler", "telemed"), {})
check(hpa.get("spec", {}).get("scaleTargetRef", {}).get("name") == "telemed" and
      any(m.get("resource", {}).get("name") == "cpu" for m in hpa.get("spec", {}).get("metrics", [])), "k8s: HPA on CPU for telemed missing")
check(objects.get(("PodDisruptionBudget", "telemed"), {}).get("spec", {}).get("minAvailable") == 1, "k8s: PDB minAvailable 1 missing")
check(("Deployment", "coturn") in objects and ("Service", "coturn") in objects, "k8s: coturn Deployment and Service missing")
# The pod range is trusted for X-Forwarded-For only because a NetworkPolicy lets nothing but the ingress controller in.
telemed_policies = [o for o in kustomized if o and o["kind"] == "NetworkPolicy"
                    and o["spec"].get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name") == "telemed"]
check(any("Ingress" in p["spec"].get("policyTypes", []) and p["spec"].get("ingress") and
          all(peer.get("namespaceSelector") and peer.get("podSelector") for rule in p["spec"]["ingress"] for peer in rule.get("from", [{}]))
          for p in telemed_policies), "k8s: no NetworkPolicy admitting only the ingress controller's pods to telemed")
trusted = [v for k, v in config_map.items() if k.startswith("Security__TrustedProxies__")]
check(bool(trusted) and all(v not in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16") for v in trusted),
      f"k8s telemed-config: Security__TrustedProxies trusts a whole private range {trusted}")
k8s_coturn_args = " ".join(objects.get(("Deployment", "coturn"), {}).get("spec", {}).get("template", {}).get("spec", {}).get("containers", [{}])[0].get("args", []))
for flag in COTURN_LIMITS + COTURN_TLS:
    check(flag in k8s_coturn_args + " ", f"k8s coturn: {flag.strip()} missing")
check("--no-tls " not in k8s_coturn_args + " ", "k8s coturn: --no-tls turns TURN over TLS off")
coturn_ports = objects.get(("Service", "coturn"), {}).get("spec", {}).get("ports", [])
check(any(p.get("port") == 443 and p.get("targetPort") == "turn-tls" for p in coturn_ports), "k8s Service coturn: TURN over TLS not on 443")
check(any(v.startswith("turns:") and ":443?transport=tcp" in v for k, v in config_map.items() if k.startswith("Turn__TurnUrls__")),
      "k8s telemed-config: no turns: URL on port 443")
check("--static-auth-secret" not in k8s_coturn_args and "-c /run/secrets/turn/turnserver.conf" in k8s_coturn_args,
      "k8s coturn: the shared secret must come from the turnserver.conf key of Secret telemed-turn, not the command line")
check(not any(kind == "StatefulSet" for kind, _ in objects), "k8s: PostgreSQL/Redis are external managed services, no StatefulSet")

# ---------- Dockerfile ----------
dockerfile = (root / "deploy/Dockerfile").read_text(encoding="utf-8")
instructions = re.sub(r"\\\n", " ", dockerfile)
for line in instructions.splitlines():
    if line.startswith("COPY ") and "--from=" not in line:
        sources = [w for w in line.split()[1:-1] if not w.startswith("--")]
        check(not any(s in (".", "./") for s in sources), f"Dockerfile: copies the whole context: {line}")
        for source in sources:
            check(any(root.glob(source)) if "*" in source else (root / source).exists(), f"Dockerfile: COPY source {source} does not exist")
users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
check(users and users[-1].split(":")[0] == "10001", "Dockerfile: the final USER is not 10001")
check(re.search(r"^HEALTHCHECK .*CMD", dockerfile, re.M) is not None, "Dockerfile: no HEALTHCHECK")
check(re.search(r'ASPNETCORE_URLS="http://\+:8080;http://\+:9090"', dockerfile) is not None and "Security__ManagementPort=9090" in dockerfile,
      "Dockerfile: ASPNETCORE_URLS is not http://+:8080 (public) and http://+:9090 (Security__ManagementPort, /metrics and /openapi)")
pdf_options = next((root / "src").rglob("PdfOptions.cs")).read_text(encoding="utf-8")
for font in re.findall(r'"(/usr/share/fonts/[^"]+)"', pdf_options):
    check(font in dockerfile, f"Dockerfile: does not check for the font {font} the server loads by default")
runtime = instructions.split("AS runtime", 1)[-1]
installed = set(re.findall(r"apt-get install[^&]*", runtime)[0].split()[2:]) - {"-y", "--no-install-recommends"} if "apt-get install" in runtime else set()
check(installed == {"fonts-dejavu-core", "libfontconfig1", "fonts-lohit-deva", "fonts-lohit-beng-bengali", "fonts-lohit-guru", "fonts-lohit-gujr",
                    "fonts-lohit-orya", "fonts-lohit-taml", "fonts-lohit-telu", "fonts-lohit-knda", "fonts-lohit-mlym"},
      f"Dockerfile: runtime packages are {sorted(installed)}")

# ---------- nginx ----------
nginx = (root / "deploy/nginx.conf").read_text(encoding="utf-8")
code = "\n".join(line.split("#", 1)[0] for line in nginx.splitlines())
check(re.search(r"server\s+telemed-a:8080", code) and re.search(r"server\s+telemed-b:8080", code), "nginx: both nodes must be upstream servers")
upstreams = dict(re.findall(r"upstream\s+(\w+)\s*\{(.*?)\}", code, re.S))
hubs = re.search(r"location\s+/hubs/\s*\{(.*?)\}", code, re.S)
# The API's location is the one that proxies (the plain-HTTP server's "location /" only redirects to HTTPS).
api = next((m for m in re.finditer(r"location\s+/\s*\{(.*?)\}", code, re.S) if "proxy_pass" in m.group(1)), None)
stream = re.search(r"^stream\s*\{(.*?)^\}", code, re.S | re.M)
check(stream is not None and re.search(r"listen\s+8443;", stream.group(1)) and re.search(r"ssl_preread\s+on;", stream.group(1))
      and re.search(r"turn\.\*\s+\S+;", stream.group(1)) and re.search(r"server\s+coturn:5349\b", stream.group(1)),
      "nginx: 8443 does not route TLS by server name (turn.* to coturn:5349, the rest to the HTTPS server)")
check(re.search(r"listen\s+127\.0\.0\.1:8444\s+ssl\s+proxy_protocol;", code) is not None and re.search(r"real_ip_header\s+proxy_protocol;", code) is not None
      and re.search(r"ssl_certificate\s+/run/secrets/nginx-tls/", code) is not None,
      "nginx: the HTTPS server does not take the client's address from the PROXY header or lacks the nginx-tls certificate")
check(re.search(r"return\s+301\s+https://\$host\$request_uri;", code) is not None, "nginx: plain HTTP does not redirect to HTTPS")
hub_upstream = re.search(r"proxy_pass\s+http://(\w+);", hubs.group(1)) if hubs else None
api_upstream = re.search(r"proxy_pass\s+http://(\w+);", api.group(1)) if api else None
check(hub_upstream is not None and re.search(r"\bip_hash;", upstreams.get(hub_upstream.group(1), "")) is not None,
      "nginx: /hubs/ is not proxied to an ip_hash (sticky) upstream")
check(api_upstream is not None and not re.search(r"\b(ip_hash|sticky|hash)\b", upstreams.get(api_upstream.group(1), "")),
      "nginx: the API's upstream is sticky (round-robin expected)")
check(hubs is not None, "nginx: no location /hubs/")
if hubs:
    # nginx inherits proxy_set_header from the server level only into locations that set none of their own.
    server_level = re.sub(r"location\s+[^{]*\{.*?\}", "", code, flags=re.S)
    effective = hubs.group(1) if "proxy_set_header" in hubs.group(1) else server_level
    check(re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", effective) and re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade", effective),
          "nginx: /hubs/ does not send the WebSocket upgrade headers (Upgrade, Connection)")
    check(re.search(r"proxy_http_version\s+1\.1", hubs.group(1) + server_level) is not None, "nginx: /hubs/ not proxied with HTTP/1.1")
    timeout = re.search(r"proxy_read_timeout\s+(\d+)s", hubs.group(1))
    check(timeout is not None and int(timeout.group(1)) >= 3600, "nginx: /hubs/ read timeout < 3600 s")
check("$request " not in code and '"$request"' not in code, "nginx: access log records $request (query strings carry access tokens)")

# ---------- web client ----------
client = "\n".join(p.read_text(encoding="utf-8") for p in (root / "web-client/src").rglob("*.ts") if not p.name.endswith(".test.ts"))
check(client.count("withUrl(") == client.count(".withStatefulReconnect()"), "web-client/src: a hub connection without stateful reconnect")
check("skipNegotiation" not in client, "web-client/src: a hub connection skips negotiation")

for warning in warnings:
    print(f"  WARNING {warning}")
for failure in failures:
    print(f"  FAIL {failure}")
print(f"{passed} policy checks passed, {len(failures)} failed, {len(warnings)} warnings")
sys.exit(1 if failures else 0)
