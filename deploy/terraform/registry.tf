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
  registry     = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
  web_image    = "${local.registry}/web:${var.image_tag}"
  worker_image = "${local.registry}/worker:${var.image_tag}"
}
