"""The Terraform in deploy/terraform, parsed (no Terraform binary or provider
runs here): consistent names, and the lessons of past deployments encoded."""

from __future__ import annotations

import re

import yaml

from shared.settings import Settings
from tests.deploy.terraform import TERRAFORM, blocks, locals_, parsed, resource, resources, source
from tests.support.stack import ROOT
from web import MULTIPART_OVERHEAD

# Cloud SQL refuses these on PostgreSQL (they are MySQL's).
MYSQL_ONLY_FLAGS = {
    "local_infile",
    "skip_show_database",
    "cross db ownership chaining",
    "contained database authentication",
}


def test_every_file_parses() -> None:
    assert set(parsed()) == {path.name for path in TERRAFORM.glob("*.tf")}
    assert len(parsed()) >= 8


def test_every_variable_declared_is_used_and_every_one_used_is_declared() -> None:
    declared = {name for block in blocks("variable") for name in block}
    used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", source()))
    assert declared - used == set(), f"declared, never used: {declared - used}"
    assert used - declared == set(), f"used, never declared: {used - declared}"
    for block in blocks("variable"):
        for name, body in block.items():
            assert body.get("description") and body.get("type"), (
                f"variable {name} needs a type and a description"
            )


def test_every_local_and_resource_referenced_exists() -> None:
    text = source()
    declared_locals = set(locals_())
    used_locals = set(re.findall(r"\blocal\.([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used_locals - declared_locals == set(), f"undefined locals: {used_locals - declared_locals}"
    assert declared_locals - used_locals == set(), f"unused locals: {declared_locals - used_locals}"
    declared = set(resources())
    references = set(re.findall(r"(?<![\w\"/.-])((?:google|random)_[a-z0-9_]+)\.([a-z0-9_]+)\b", text))
    assert references - declared == set(), (
        f"references to resources that do not exist: {references - declared}"
    )


def test_providers_are_pinned() -> None:
    required = parsed()["versions.tf"]["terraform"][0]["required_providers"][0]
    for name, spec in required.items():
        assert re.match(r"~> \d+\.\d+", spec["version"]), f"{name}: {spec['version']}"


def test_public_access_without_allusers_and_no_keys() -> None:
    text = source()
    assert not re.search(r'"all(Authenticated)?Users"', text), "public IAM bindings break under org policy"
    assert not any(rtype == "google_service_account_key" for rtype, _ in resources())
    assert not re.search(r"roles/(owner|editor)\b", text)
    web = resource("google_cloud_run_v2_service", "web")
    assert "invoker_iam_disabled" in web and "iap_enabled" in web


def test_web_on_cloud_run() -> None:
    web = resource("google_cloud_run_v2_service", "web")
    template = web["template"][0]
    assert template["scaling"][0].keys() >= {"min_instance_count", "max_instance_count"}
    assert template["max_instance_request_concurrency"] == "${var.web_concurrency}"
    container = template["containers"][0]
    assert container["ports"][0]["container_port"] == 8000  # Dockerfile.web binds 8000
    assert container["startup_probe"][0]["http_get"][0]["path"] == "/health/"
    assert template["service_account"] == '${google_service_account.role["web"].email}'


def test_migrations_run_as_a_job_before_each_release() -> None:
    job = resource("google_cloud_run_v2_job", "migrate")["template"][0]["template"][0]["containers"][0]
    assert [*job["command"], *job["args"]] == ["recital", "db", "upgrade"]
    steps = {
        step["id"]: step
        for step in yaml.safe_load((ROOT / "deploy" / "cloudbuild.yaml").read_text())["steps"]
    }
    assert "recital-migrate" in steps["migrate"]["args"][-1] and "--wait" in steps["migrate"]["args"][-1]
    assert "migrate" in steps["deploy-web"]["waitFor"] and "migrate" in steps["deploy-workers"]["waitFor"]


def test_database_private_with_backups_and_only_postgres_flags() -> None:
    instance = resource("google_sql_database_instance", "recital")
    assert instance["database_version"].startswith("POSTGRES_")
    settings = instance["settings"][0]
    ip = settings["ip_configuration"][0]
    assert ip["ipv4_enabled"] is False and ip["private_network"]
    backup = settings["backup_configuration"][0]
    assert backup["enabled"] is True and backup["point_in_time_recovery_enabled"] is True
    flags = {flag["name"] for flag in settings["database_flags"]}
    assert not flags & MYSQL_ONLY_FLAGS
    assert instance["deletion_protection"] is True


def test_broker_never_evicts() -> None:
    redis = resource("google_redis_instance", "broker")
    assert redis["redis_configs"]["maxmemory-policy"] == "noeviction"
    assert redis["auth_enabled"] is True and redis["connect_mode"] == "PRIVATE_SERVICE_ACCESS"


def test_recordings_bucket() -> None:
    bucket = resource("google_storage_bucket", "recordings")
    assert bucket["uniform_bucket_level_access"] is True
    assert bucket["public_access_prevention"] == "enforced"
    actions = {rule["action"][0]["type"] for rule in bucket["lifecycle_rule"]}
    assert "Delete" in actions


def test_secrets_exist_and_each_is_read_by_a_role() -> None:
    secrets = set(locals_()["secrets"])
    assert {"recital-openai-api-key", "recital-database-url", "recital-signing-key"} <= secrets
    readers = locals_()["secret_readers"]
    read = {secret for ids in readers.values() for secret in ids}
    assert read == secrets, f"secrets nobody reads: {secrets - read}; unknown: {read - secrets}"
    assert set(readers) <= set(locals_()["accounts"])
    for body in (
        resource("google_cloud_run_v2_service", "web"),
        resource("google_cloud_run_v2_job", "migrate"),
    ):
        for name in re.findall(r'google_secret_manager_secret\.recital\[\\?"([\w-]+)', str(body)):
            assert name in secrets
    web_secrets = set(locals_()["web_secret_env"].values())
    assert web_secrets <= set(readers["web"]), "the web reads a secret it has no access to"


def test_one_service_account_per_role_and_workers_scale_on_gke_autopilot() -> None:
    accounts = locals_()["accounts"]
    assert {"web", "worker", "migrate", "build"} <= set(accounts)
    cluster = resource("google_container_cluster", "workers")
    assert cluster["enable_autopilot"] is True
    assert cluster["private_cluster_config"][0]["enable_private_nodes"] is True


def bucket_roles(account: str) -> set[str]:
    member = f'${{google_service_account.role["{account}"].member}}'
    return {
        body["role"]
        for (rtype, _), body in resources().items()
        if rtype == "google_storage_bucket_iam_member"
        and body["bucket"] == "${google_storage_bucket.recordings.name}"
        and body["member"] == member
    }


def test_the_web_may_delete_recordings_and_workers_only_read_them() -> None:
    """Erasure and refused direct uploads delete objects (objectCreator cannot: 403, then
    503 storage_unavailable); /ready lists objects rather than reading the bucket."""
    web = bucket_roles("web")
    assert web & {"roles/storage.objectUser", "roles/storage.objectAdmin"}, web
    assert not web & {"roles/storage.objectCreator", "roles/storage.objectViewer"}, web
    assert not any(role.startswith("roles/storage.") and "object" not in role for role in web), (
        f"the web needs no bucket-level role: {web}"
    )
    assert bucket_roles("worker") == {"roles/storage.objectViewer"}


def test_cloud_run_uploads_fit_its_request_limit() -> None:
    """Cloud Run refuses HTTP/1 bodies over 32 MiB with Google's HTML page: the app's own
    limit (plus its multipart allowance) must refuse first, with its JSON 413."""
    limit = int(locals_()["web_env"]["RECITAL_MAX_UPLOAD_BYTES"])
    assert 0 < limit and limit + MULTIPART_OVERHEAD < 32 * 2**20
    assert limit < Settings.model_fields["max_upload_bytes"].default
