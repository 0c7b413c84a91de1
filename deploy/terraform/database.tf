# PostgreSQL on a private IP only, TLS required, daily backups with
# point-in-time recovery. Every flag below is a PostgreSQL flag: Cloud SQL
# rejects MySQL-only flags (local_infile, skip_show_database, ...) on
# PostgreSQL at apply time, which is why none is here.
resource "random_password" "database" {
  length  = 32
  special = false # it goes into a URL
}

resource "google_sql_database_instance" "recital" {
  #checkov:skip=CKV_GCP_6:ssl_mode ENCRYPTED_ONLY refuses every unencrypted connection; client certificates on top would mean key files in pods (what this deployment avoids) or an Auth Proxy sidecar per process.
  name                = "recital"
  region              = var.region
  database_version    = "POSTGRES_18"
  deletion_protection = true

  settings {
    tier              = var.db_tier
    availability_type = "REGIONAL"
    disk_autoresize   = true
    user_labels       = local.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.recital.id
      enable_private_path_for_google_cloud_services = true
      ssl_mode                                      = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      start_time                     = "02:00"
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day  = 7
      hour = 3
    }

    insights_config {
      query_insights_enabled  = true
      record_application_tags = false
      record_client_address   = false
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    # Statements carry learners' texts: never log them by duration.
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_duration"
      value = "on"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }

  depends_on = [google_service_networking_connection.services]
}

resource "google_sql_database" "recital" {
  name     = "recital"
  instance = google_sql_database_instance.recital.name
}

resource "google_sql_user" "recital" {
  name     = "recital"
  instance = google_sql_database_instance.recital.name
  password = random_password.database.result
}

locals {
  database_url = format(
    # checkov:skip=CKV_SECRET_4:A format template with %s placeholders; the password comes from random_password and goes only into Secret Manager.
    "postgresql+psycopg://%s:%s@%s:5432/%s?sslmode=require",
    google_sql_user.recital.name,
    random_password.database.result,
    google_sql_database_instance.recital.private_ip_address,
    google_sql_database.recital.name,
  )
}
