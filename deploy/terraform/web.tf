# The web on Cloud Run. Releases change only the image (deploy/cloudbuild.yaml
# runs the migration job first); Terraform owns everything else and ignores
# the image so that an apply never rolls a release back.
locals {
  web_env = {
    RECITAL_STORAGE_URL = "gs://${google_storage_bucket.recordings.name}"
    # Google's front end appends the caller's address to X-Forwarded-For:
    # the rate limits believe that one hop and nothing a client sends.
    RECITAL_TRUSTED_PROXIES = "1"
    # Cloud Run refuses HTTP/1 request bodies over 32 MiB with Google's own HTML
    # 413 before the app sees them. 31 MiB (+ the app's 64 KiB multipart
    # allowance) stays under that, so the app's limit is the one learners meet
    # and its JSON 413 recording_too_large answers up to Google's. The same
    # limit bounds direct uploads (deploy/README.md, "Upload size on Cloud Run").
    RECITAL_MAX_UPLOAD_BYTES = "32505856"
    # (PROMETHEUS_MULTIPROC_DIR comes with the image: Dockerfile.web.)
  }
  web_secret_env = {
    RECITAL_DATABASE_URL       = "recital-database-url"
    RECITAL_BROKER_URL         = "recital-broker-url"
    RECITAL_SIGNING_KEY        = "recital-signing-key"
    RECITAL_METRICS_BASIC_AUTH = "recital-metrics-basic-auth"
  }
}

resource "google_cloud_run_v2_service" "web" {
  name                = "recital-web"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = true
  labels              = local.labels
  # Organisation policies (domain-restricted sharing) reject an allUsers
  # invoker binding; switching the invoker check off is allowed and makes
  # the service public. Or Identity-Aware Proxy in front (a preview feature).
  invoker_iam_disabled = var.public_access == "public"
  iap_enabled          = var.public_access == "iap"
  launch_stage         = var.public_access == "iap" ? "BETA" : "GA"

  template {
    service_account                  = google_service_account.role["web"].email
    timeout                          = "60s"
    max_instance_request_concurrency = var.web_concurrency

    scaling {
      min_instance_count = var.web_min_instances
      max_instance_count = var.web_max_instances
    }

    # Cloud SQL and Memorystore have private IPs only.
    vpc_access {
      egress = "PRIVATE_RANGES_ONLY"
      network_interfaces {
        network    = google_compute_network.recital.id
        subnetwork = google_compute_subnetwork.recital.id
      }
    }

    containers {
      image = var.bootstrap_image

      ports {
        container_port = 8000
      }

      resources {
        limits = {
          cpu    = "2"
          memory = "2Gi"
        }
        startup_cpu_boost = true
      }

      dynamic "env" {
        for_each = local.web_env
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = local.web_secret_env
        content {
          name = env.key
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.recital[env.value].secret_id
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        http_get {
          path = "/health/"
        }
        period_seconds    = 5
        failure_threshold = 12
      }

      liveness_probe {
        http_get {
          path = "/health/"
        }
        period_seconds = 30
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].containers[0].image, client, client_version]
  }

  depends_on = [
    google_secret_manager_secret_iam_member.readers,
    google_secret_manager_secret_version.generated,
  ]
}

# Migrations: a Cloud Run job on the web image, run before each release by
# Cloud Build (never at build time, where there is no database).
resource "google_cloud_run_v2_job" "migrate" {
  name                = "recital-migrate"
  location            = var.region
  deletion_protection = true
  labels              = local.labels

  template {
    task_count = 1

    template {
      service_account = google_service_account.role["migrate"].email
      max_retries     = 1
      timeout         = "600s"

      vpc_access {
        egress = "PRIVATE_RANGES_ONLY"
        network_interfaces {
          network    = google_compute_network.recital.id
          subnetwork = google_compute_subnetwork.recital.id
        }
      }

      containers {
        image   = var.bootstrap_image
        command = ["recital"]
        args    = ["db", "upgrade"]

        env {
          name = "RECITAL_DATABASE_URL"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.recital["recital-database-url"].secret_id
              version = "latest"
            }
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [template[0].template[0].containers[0].image, client, client_version]
  }

  depends_on = [
    google_secret_manager_secret_iam_member.readers,
    google_secret_manager_secret_version.generated,
  ]
}
