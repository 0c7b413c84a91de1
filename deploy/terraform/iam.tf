# One service account per role, each granted only what that role does, on the
# one resource it needs. No keys anywhere: Cloud Run and Cloud Build run as
# their account; pods get theirs through Workload Identity; signed URLs are
# signed by IAM (signBlob), not by a key file. (Organisations commonly forbid
# key creation with iam.disableServiceAccountKeyCreation: nothing here
# needs one.)
locals {
  accounts = {
    web     = "Recital web (Cloud Run)"
    worker  = "Recital workers and beat (GKE)"
    migrate = "Recital migrations (Cloud Run job)"
    keda    = "KEDA operator: reads the broker's address and AUTH string"
    nodes   = "Recital GKE Autopilot nodes"
    build   = "Recital releases (Cloud Build)"
  }
  # Which secrets each role may read.
  secret_readers = {
    web = ["recital-database-url", "recital-broker-url", "recital-signing-key", "recital-metrics-basic-auth"]
    worker = [
      "recital-database-url", "recital-broker-url", "recital-signing-key", "recital-openai-api-key",
      "recital-metrics-basic-auth",
    ]
    migrate = ["recital-database-url"]
    keda    = ["recital-redis-address", "recital-redis-password"]
  }
  secret_grants = merge([
    for role, ids in local.secret_readers : { for id in ids : "${role}/${id}" => { role = role, secret = id } }
  ]...)
  # Kubernetes service accounts that act as a Google one (deploy/k8s).
  workload_identities = {
    worker = "recital/recital-worker"
    keda   = "keda/keda-operator"
  }
}

resource "google_service_account" "role" {
  for_each     = local.accounts
  account_id   = "recital-${each.key}"
  display_name = each.value
  depends_on   = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "readers" {
  for_each  = local.secret_grants
  secret_id = google_secret_manager_secret.recital[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.role[each.value.role].member
}

# Recordings: the web writes them, reads them back (direct-upload checks,
# short-lived playback links) and deletes them (erasure of attempts, pieces
# and accounts; refused direct uploads): roles/storage.objectUser, the objects'
# create/get/list/update/delete and nothing on the bucket itself (objectCreator
# cannot delete or overwrite: erasure answered 503). Its readiness check lists
# at most one object (GcsStorage.check), so it needs no storage.buckets.get.
# Workers only download recordings (shared/services/claimed_job.py).
resource "google_storage_bucket_iam_member" "web_objects" {
  bucket = google_storage_bucket.recordings.name
  role   = "roles/storage.objectUser"
  member = google_service_account.role["web"].member
}

resource "google_storage_bucket_iam_member" "worker_read" {
  bucket = google_storage_bucket.recordings.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.role["worker"].member
}

# V4 signed URLs without a key file: the web signs through IAM as itself.
resource "google_service_account_iam_member" "web_signs_as_itself" {
  service_account_id = google_service_account.role["web"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.role["web"].member
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each           = local.workload_identities
  service_account_id = google_service_account.role[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${each.value}]"
  depends_on         = [google_container_cluster.workers]
}

# Nodes: logs, metrics and pulling images, nothing else.
resource "google_project_iam_member" "nodes" {
  project = var.project_id
  role    = "roles/container.defaultNodeServiceAccount"
  member  = google_service_account.role["nodes"].member
}

# (Cloud Run pulls with its own service agent, which may read this project's
# registry already; only the GKE nodes need a grant.)
resource "google_artifact_registry_repository_iam_member" "pull" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.reader"
  member     = google_service_account.role["nodes"].member
}

# Releases: push images, run the migration job, roll out the web and the
# worker manifests, acting as the web and migrate accounts.
resource "google_artifact_registry_repository_iam_member" "push" {
  repository = google_artifact_registry_repository.images.name
  location   = var.region
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.role["build"].member
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/run.developer", "roles/container.developer", "roles/logging.logWriter"])
  project  = var.project_id
  role     = each.value
  member   = google_service_account.role["build"].member
}

resource "google_storage_bucket_iam_member" "build_reads_sources" {
  bucket = google_storage_bucket.build_sources.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.role["build"].member
}

resource "google_service_account_iam_member" "build_acts_as" {
  for_each           = toset(["web", "migrate"])
  service_account_id = google_service_account.role[each.key].name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.role["build"].member
}
