"""deploy/k8s: Kubernetes objects against the Kubernetes schemas
(kubernetes-validate), KEDA's against its CRDs (vendored), and both against
the Terraform, Cloud Build and Celery names they must agree with."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from jsonschema import Draft7Validator

from cli.main import build_parser
from shared.queue import QUEUE_MAINTENANCE, QUEUE_RECORDINGS, QUEUE_RESCORE
from shared.settings import Settings
from tests.deploy.terraform import locals_, resource
from tests.support.stack import ROOT

K8S = ROOT / "deploy" / "k8s"
KEDA_CRDS = Path(__file__).parent / "schemas" / "keda"
KUBERNETES_VERSION = "1.33"  # GKE's regular channel, within a minor or two
SAMPLE = {
    "PROJECT_ID": "demo-project",
    "REGION": "europe-west1",
    "WORKER_DIGEST": "sha256:" + "0" * 64,
    "TRANSCRIBER": "offline",
}
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        text = PLACEHOLDER.sub(lambda m: SAMPLE[m.group(1)], path.read_text())
        documents += [doc for doc in yaml.safe_load_all(text) if doc]
    return documents


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in manifests() if doc["kind"] == kind}


def crd_schema(filename: str) -> dict[str, Any]:
    crd = yaml.safe_load((KEDA_CRDS / filename).read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
    return strict(version["schema"]["openAPIV3Schema"])


def strict(schema: Any) -> Any:
    """Unknown fields rejected, as kubectl's strict field validation does
    (a CRD's schema alone lets them through to be pruned silently)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    tightened = {key: strict(value) for key, value in schema.items()}
    if "properties" in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        tightened.setdefault("additionalProperties", False)
    return tightened


def test_placeholders_are_the_ones_cloud_build_fills_in() -> None:
    used = {name for path in K8S.glob("*.yaml") for name in PLACEHOLDER.findall(path.read_text())}
    cloudbuild = (ROOT / "deploy" / "cloudbuild.yaml").read_text()
    filled = set(re.findall(r"s\|\\\$\$\{([A-Z_]+)\}\|", cloudbuild))
    assert used == filled == set(SAMPLE), (used, filled)


BUILT_IN = [doc for doc in manifests() if not doc["apiVersion"].startswith(("keda.sh/", "secrets-store."))]


@pytest.mark.parametrize("doc", BUILT_IN, ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_kubernetes_objects_match_the_kubernetes_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_kubernetes_validator_rejects_a_mistake() -> None:
    broken = of_kind("Deployment")["recital-recordings"]
    broken["spec"]["template"]["spec"]["containers"][0]["resourcez"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(
    "kind,crd",
    [
        ("ScaledObject", "keda.sh_scaledobjects.yaml"),
        ("TriggerAuthentication", "keda.sh_triggerauthentications.yaml"),
    ],
)
def test_keda_objects_match_keda_crds(kind: str, crd: str) -> None:
    validator = Draft7Validator(crd_schema(crd))
    objects = of_kind(kind)
    assert objects, kind
    for name, doc in objects.items():
        errors = list(validator.iter_errors(doc))
        assert not errors, f"{kind}/{name}: " + "; ".join(e.message for e in errors[:5])
    assert list(validator.iter_errors({"apiVersion": "keda.sh/v1alpha1", "kind": kind, "spec": {"bogus": 1}}))


def test_workers_scale_on_their_celery_queue() -> None:
    deployments = of_kind("Deployment")
    authentications = of_kind("TriggerAuthentication")
    scaled = of_kind("ScaledObject")
    targets = {}
    for doc in scaled.values():
        target = doc["spec"]["scaleTargetRef"]["name"]
        trigger = doc["spec"]["triggers"][0]
        assert trigger["type"] == "redis" and trigger["authenticationRef"]["name"] in authentications
        targets[target] = trigger["metadata"]["listName"]
    assert targets == {"recital-recordings": QUEUE_RECORDINGS, "recital-rescore": QUEUE_RESCORE}
    for target, queue in targets.items():
        args = deployments[target]["spec"]["template"]["spec"]["containers"][0]["args"]
        assert args[args.index("-Q") + 1] == queue
    assert scaled["recital-recordings"]["spec"]["minReplicaCount"] == 0


def test_deployments_run_recital_commands_as_the_worker_account() -> None:
    accounts = of_kind("ServiceAccount")
    for name, doc in of_kind("Deployment").items():
        pod = doc["spec"]["template"]["spec"]
        container = pod["containers"][0]
        build_parser().parse_args(container["args"][1:])
        assert container["args"][0] == "recital", name
        assert "@sha256:" in container["image"] and "/recital/worker@" in container["image"], name
        assert pod["serviceAccountName"] in accounts, name
        assert pod["securityContext"]["runAsNonRoot"] is True
    memory = of_kind("Deployment")["recital-recordings"]["spec"]["template"]["spec"]["containers"][0][
        "resources"
    ]
    assert memory["requests"]["memory"] == memory["limits"]["memory"] == "4Gi"


def test_every_worker_pod_serves_metrics_that_prometheus_may_scrape() -> None:
    """The exporter's port (recital-settings) is each pod's named metrics port, its
    prometheus.io annotations, the one port the network policy opens, and the
    credentials come from Secret Manager."""
    settings = of_kind("ConfigMap")["recital-settings"]["data"]
    port = int(settings["RECITAL_WORKER_METRICS_PORT"])
    assert port > 0 and settings["RECITAL_WORKER_METRICS_ADDRESS"] == "0.0.0.0"
    deployments = of_kind("Deployment")
    assert set(deployments) == {"recital-recordings", "recital-rescore", "recital-beat"}
    for name, doc in deployments.items():
        template = doc["spec"]["template"]
        container = template["spec"]["containers"][0]
        assert {"configMapRef": {"name": "recital-settings"}} in container["envFrom"], name
        ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
        assert ports.get("metrics") == port, f"{name}: no metrics containerPort {port}"
        annotations = template["metadata"]["annotations"]
        assert annotations.get("prometheus.io/scrape") == "true", name
        assert annotations.get("prometheus.io/port") == str(port), name
        assert annotations.get("prometheus.io/path") == "/metrics", name
    (policy,) = of_kind("NetworkPolicy").values()
    opened = [p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]]
    assert opened == [port]
    secrets = of_kind("SecretProviderClass")["recital-secrets"]["spec"]["parameters"]["secrets"]
    assert 'path: "RECITAL_METRICS_BASIC_AUTH"' in secrets
    assert "recital-metrics-basic-auth" in locals_()["secret_readers"]["worker"]


def test_exactly_one_beat() -> None:
    beats = {
        name: doc
        for name, doc in of_kind("Deployment").items()
        if "--beat" in doc["spec"]["template"]["spec"]["containers"][0]["args"]
    }
    assert list(beats) == ["recital-beat"]
    beat = beats["recital-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert QUEUE_MAINTENANCE in beat["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "recital-beat" not in {
        d["spec"]["scaleTargetRef"]["name"] for d in of_kind("ScaledObject").values()
    }


def test_names_agree_with_the_terraform() -> None:
    secrets = set(locals_()["secrets"])
    provider = of_kind("SecretProviderClass")["recital-secrets"]
    mounted = re.findall(r"secrets/([\w-]+)/versions", provider["spec"]["parameters"]["secrets"])
    assert mounted and set(mounted) == set(locals_()["secret_readers"]["worker"])
    keda = [
        s["id"]
        for doc in of_kind("TriggerAuthentication").values()
        for s in doc["spec"]["gcpSecretManager"]["secrets"]
    ]
    assert set(keda) == set(locals_()["secret_readers"]["keda"]) and set(keda) <= secrets
    identities = locals_()["workload_identities"]
    for name, doc in of_kind("ServiceAccount").items():
        google_account = doc["metadata"]["annotations"]["iam.gke.io/gcp-service-account"]
        role = google_account.split("@")[0].removeprefix("recital-")
        assert identities[role] == f"{doc['metadata']['namespace']}/{name}"
        assert google_account.endswith(f"@{SAMPLE['PROJECT_ID']}.iam.gserviceaccount.com")
    assert identities["keda"] == "keda/keda-operator"


def test_keda_version_matches_the_install_step() -> None:
    crd = yaml.safe_load((KEDA_CRDS / "keda.sh_scaledobjects.yaml").read_text())
    assert crd["metadata"]["annotations"]["controller-gen.kubebuilder.io/version"]
    readme = (ROOT / "deploy" / "README.md").read_text()
    versions = set(re.findall(r"keda-(\d+\.\d+\.\d+)\.yaml", readme))
    assert versions == {"2.20.1"}, versions


SECRETS_MOUNT = "/var/run/secrets/recital"


def entry_scripts() -> list[str]:
    """Every shell line a worker pod runs: the container's command and both probes."""
    scripts = []
    for doc in of_kind("Deployment").values():
        container = doc["spec"]["template"]["spec"]["containers"][0]
        for argv in (
            container["command"],
            container["livenessProbe"]["exec"]["command"],
            container["readinessProbe"]["exec"]["command"],
        ):
            assert argv[:2] == ["sh", "-c"], argv
            scripts.append(argv[2])
    return scripts


def exported(script: str, mounted: dict[str, str], folder: Path) -> dict[str, str]:
    """The RECITAL_* variables ``script`` exports from a secrets ``folder`` holding ``mounted``."""
    folder.mkdir()
    for name, value in mounted.items():
        (folder / name).write_text(value)
    prefix, _, _ = script.partition("exec ")
    run = subprocess.run(
        ["sh", "-c", prefix.replace(SECRETS_MOUNT, str(folder)) + "exec env"],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in run.stdout.splitlines() if line.startswith("RECITAL_"))


def test_the_openai_placeholder_never_becomes_the_key(tmp_path: Path) -> None:
    """Terraform seeds recital-openai-api-key with a placeholder so that "latest" resolves;
    exported, it would make the workers send coaching notes to OpenAI with it."""
    placeholder = resource("google_secret_manager_secret_version", "openai_placeholder")["secret_data"]
    scripts = entry_scripts()
    assert len(set(s.partition("exec ")[0] for s in scripts)) == 1, "every entry script reads secrets alike"
    script = scripts[0]
    assert SECRETS_MOUNT in script
    for case, value in enumerate((placeholder, placeholder + "\n", "")):
        mounted = {"RECITAL_OPENAI_API_KEY": value, "RECITAL_SIGNING_KEY": "k" * 40}
        env = exported(script, mounted, tmp_path / f"case-{case}")
        assert "RECITAL_OPENAI_API_KEY" not in env, repr(value)
        assert env["RECITAL_SIGNING_KEY"] == "k" * 40
    mounted = {"RECITAL_OPENAI_API_KEY": "sk-real\n", "RECITAL_DATABASE_URL": "postgresql://x"}
    env = exported(script, mounted, tmp_path / "real")
    assert env == {"RECITAL_OPENAI_API_KEY": "sk-real", "RECITAL_DATABASE_URL": "postgresql://x"}


def test_pool_children_are_recycled_before_the_pod_is_out_of_memory() -> None:
    """As in compose: each pod's per-child cap, plus room for the main process, fits its limit."""
    default = Settings.model_fields["worker_max_memory_per_child_kb"].default
    units = {"Mi": 1024, "Gi": 1024**2}
    settings = of_kind("ConfigMap")["recital-settings"]["data"]
    for name, doc in of_kind("Deployment").items():
        container = doc["spec"]["template"]["spec"]["containers"][0]
        size = re.fullmatch(r"(\d+)(Mi|Gi)", container["resources"]["limits"]["memory"])
        assert size, name
        limit_kib = int(size.group(1)) * units[size.group(2)]
        env = settings | {e["name"]: e["value"] for e in container.get("env", [])}
        cap = int(env.get("RECITAL_WORKER_MAX_MEMORY_PER_CHILD_KB", default))
        assert cap + 400 * 1024 <= limit_kib, f"{name}: {cap} KiB per child in {limit_kib} KiB"
