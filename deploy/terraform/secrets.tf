# Every secret lives in Secret Manager and is read when a process starts
# (Cloud Run secret env, the GKE Secret Manager add-on, KEDA): none is baked
# into an image, a build step or a manifest.
locals {
  secrets = {
    "recital-database-url"       = "RECITAL_DATABASE_URL: the Cloud SQL URL with its password."
    "recital-broker-url"         = "RECITAL_BROKER_URL: the Memorystore URL with its AUTH string."
    "recital-redis-address"      = "Memorystore host:port, for KEDA's queue-length scaler."
    "recital-redis-password"     = "Memorystore AUTH string, for KEDA's queue-length scaler."
    "recital-signing-key"        = "RECITAL_SIGNING_KEY: signs short-lived recording links."
    "recital-metrics-basic-auth" = "RECITAL_METRICS_BASIC_AUTH: ops:password for /metrics and the workers' exporters."
    "recital-openai-api-key"     = "RECITAL_OPENAI_API_KEY: added by an operator (deploy/README.md, step 5)."
  }
  generated = {
    "recital-database-url"       = local.database_url
    "recital-broker-url"         = local.broker_url
    "recital-redis-address"      = local.redis_address
    "recital-redis-password"     = google_redis_instance.broker.auth_string
    "recital-signing-key"        = random_password.signing_key.result
    "recital-metrics-basic-auth" = "ops:${random_password.metrics.result}"
  }
}

resource "random_password" "signing_key" {
  length  = 48
  special = false
}

# Prometheus scrapes with it (user "ops"): read it from Secret Manager into the
# scraper's basic_auth (docs/operations.md, "Scraping").
resource "random_password" "metrics" {
  length  = 32
  special = false
}

resource "google_secret_manager_secret" "recital" {
  for_each  = local.secrets
  secret_id = each.key
  labels    = merge(local.labels, { purpose = "runtime" })
  annotations = {
    description = each.value
  }

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "generated" {
  for_each    = local.generated
  secret      = google_secret_manager_secret.recital[each.key].id
  secret_data = each.value
}

# A first version so that references to "latest" resolve before an operator
# adds the real key. The pods' entry script (deploy/k8s/10-workers.yaml) never
# exports this placeholder: RECITAL_OPENAI_API_KEY stays unset until step 5
# of deploy/README.md, so no coaching note is sent to OpenAI with it.
resource "google_secret_manager_secret_version" "openai_placeholder" {
  secret      = google_secret_manager_secret.recital["recital-openai-api-key"].id
  secret_data = "not-set"

  lifecycle {
    ignore_changes = [secret_data, enabled]
  }
}
