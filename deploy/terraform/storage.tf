resource "google_storage_bucket" "recordings" {
  #checkov:skip=CKV_GCP_62:Access is recorded by Data Access audit logs (apis.tf), which supersede bucket usage logs.
  name                        = "${var.project_id}-recital-recordings"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  versioning {
    enabled = true
  }

  # Recordings are kept for the retention period; a deleted or overwritten
  # one stays recoverable for a week.
  lifecycle_rule {
    condition {
      age = var.recordings_retention_days
    }
    action {
      type = "Delete"
    }
  }
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 7
    }
    action {
      type = "Delete"
    }
  }
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # Browsers PUT recordings straight here with a signed URL (direct uploads).
  dynamic "cors" {
    for_each = length(var.web_origins) > 0 ? [1] : []
    content {
      origin          = var.web_origins
      method          = ["PUT"]
      response_header = ["Content-Type"]
      max_age_seconds = 3600
    }
  }

  depends_on = [google_project_service.apis]
}
