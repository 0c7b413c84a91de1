resource "google_artifact_registry_repository" "images" {
  #checkov:skip=CKV_GCP_84:Images hold no data or secrets; Google-managed encryption at rest suffices, and a customer key would add a KMS key ring this deployment does not otherwise need.
  repository_id = "recital"
  location      = var.region
  format        = "DOCKER"
  description   = "Recital web and worker images (linux/amd64)."
  labels        = local.labels

  # Keep the last 20 releases; Cloud Build tags every build with its commit.
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 20
    }
  }

  depends_on = [google_project_service.apis]
}

locals {
  registry = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

# Cloud Build reads the uploaded sources from here (gcloud builds submit
# --gcs-source-staging-dir), as the build account.
resource "google_storage_bucket" "build_sources" {
  #checkov:skip=CKV_GCP_62:Transient build sources, deleted after a week; Data Access audit logs record reads.
  #checkov:skip=CKV_GCP_78:Transient build sources: each upload is a new object, nothing to recover by versioning.
  name                        = "${var.project_id}-recital-build"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
