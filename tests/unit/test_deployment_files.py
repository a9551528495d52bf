"""The deployment notes stay consistent with what `make prod-local` runs and the code serves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
#: Health endpoints the processes really serve (bot/channels/ops.py, rasa_sdk, the console).
SERVED = {"/ops/ready", "/ops/health", "/health"}
REQUIRED_VARIABLES = {
    name
    for line in (ROOT / "endpoints.prod.yml").read_text().splitlines()
    if not line.lstrip().startswith("#")
    for name in re.findall(r"\$\{([A-Z_]+)\}", line)
}


def manifests() -> list[dict]:
    return [
        doc
        for doc in yaml.safe_load_all((DEPLOY / "kubernetes" / "assistant.yaml").read_text())
        if doc
    ]


def test_kubernetes_probes_use_endpoints_the_processes_serve() -> None:
    for doc in manifests():
        if doc["kind"] != "Deployment":
            continue
        for container in doc["spec"]["template"]["spec"]["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                if probe in container:
                    assert container[probe]["httpGet"]["path"] in SERVED


def test_each_wechat_resident_is_sent_to_one_rasa_pod() -> None:
    """The pod that answered a resident keeps their conversation in memory: WeChat's
    webhook is balanced by the openid in its URL, as the bundled nginx does."""
    ingresses = [doc for doc in manifests() if doc["kind"] == "Ingress"]
    routes = {
        path["path"]: ingress["metadata"].get("annotations", {})
        for ingress in ingresses
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert routes["/webhooks/wechat/"]["nginx.ingress.kubernetes.io/upstream-hash-by"] == (
        "$arg_openid"
    )
    nginx = (DEPLOY / "nginx-prod-local.conf").read_text()
    assert "map $arg_openid $conversation_key" in nginx and "hash $conversation_key" in nginx


def test_every_file_a_deployment_names_exists() -> None:
    texts = [(DEPLOY / "kubernetes" / "assistant.yaml").read_text()]
    texts += [unit.read_text() for unit in (DEPLOY / "systemd").glob("*.service")]
    for text in texts:
        for name in re.findall(
            r"(endpoints\.prod\.yml|credentials\.yml|deploy/[\w./-]+\.yml)", text
        ):
            assert (ROOT / name).exists(), name
        for module in re.findall(r"-m\", \"([\w.]+)\"|-m ([\w.]+)", text):
            dotted = next(part for part in module if part)
            assert (ROOT / dotted.replace(".", "/")).exists() or (
                ROOT / (dotted.replace(".", "/") + ".py")
            ).exists(), dotted


def test_every_variable_rasa_needs_is_in_the_examples() -> None:
    secret = yaml.safe_load((DEPLOY / "kubernetes" / "secret.example.yaml").read_text())
    in_kubernetes = set(secret["stringData"]) | {"CITY_ACTIONS_URL"}
    in_systemd = set(
        re.findall(r"^([A-Z_]+)=", (DEPLOY / "systemd" / "env.example").read_text(), re.M)
    )
    assert in_kubernetes >= REQUIRED_VARIABLES
    assert in_systemd >= REQUIRED_VARIABLES
    prod_local = (ROOT / "scripts" / "prod_local.py").read_text()
    assert all(f'"{name}"' in prod_local for name in REQUIRED_VARIABLES)


def test_rasa_servers_get_the_same_tensorflow_and_lock_settings_everywhere() -> None:
    """make run / prod-local (scripts/run_stack.rasa_environment), systemd and Kubernetes."""
    import importlib.util
    import os

    spec = importlib.util.spec_from_file_location("run_stack", ROOT / "scripts" / "run_stack.py")
    assert spec and spec.loader
    run_stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_stack)
    names = ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS")
    names += ("TICKET_LOCK_LIFETIME", "RASA_TELEMETRY_ENABLED")
    saved = {k: os.environ.pop(k) for k in names if k in os.environ}
    try:
        wanted = run_stack.rasa_environment()
    finally:
        os.environ.update(saved)
    assert wanted == {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_INTRA_OP_PARALLELISM_THREADS": "1",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "TICKET_LOCK_LIFETIME": "20",
    }

    unit = (DEPLOY / "systemd" / "city-rasa@.service").read_text()
    in_systemd = dict(re.findall(r"\b((?:TF|TICKET|RASA_TELEMETRY)_\w+)=(\S+)", unit))
    rasa = next(d for d in manifests() if d["metadata"]["name"] == "rasa")
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    in_kubernetes = {e["name"]: e["value"] for e in container["env"] if e["name"] in wanted}
    assert in_systemd == wanted
    assert in_kubernetes == wanted


def test_every_deployment_gives_the_instances_one_web_chat_session_key() -> None:
    """Sessions signed on one instance must verify on the others (and after restarts)."""
    secret = yaml.safe_load((DEPLOY / "kubernetes" / "secret.example.yaml").read_text())
    assert "WEBCHAT_SESSION_SECRET" in secret["stringData"]
    assert "WEBCHAT_SESSION_SECRET=" in (DEPLOY / "systemd" / "env.example").read_text()
    assert '"WEBCHAT_SESSION_SECRET"' in (ROOT / "scripts" / "prod_local.py").read_text()
