# Memorystore for Redis, the Celery broker. noeviction: under memory
# pressure Redis must refuse writes (the web then answers 202 and the sweeper
# re-sends later) rather than silently drop queued tasks.
resource "google_redis_instance" "broker" {
  #checkov:skip=CKV_GCP_97:In-transit TLS needs Memorystore's CA in every client (Cloud Run, pods, KEDA); traffic stays on the private VPC peering and AUTH is on. deploy/README.md, "Hardening later".
  name               = "recital-broker"
  region             = var.region
  tier               = "STANDARD_HA"
  memory_size_gb     = var.redis_memory_gb
  redis_version      = "REDIS_7_2"
  authorized_network = google_compute_network.recital.id
  connect_mode       = "PRIVATE_SERVICE_ACCESS"
  auth_enabled       = true
  labels             = local.labels

  redis_configs = {
    "maxmemory-policy" = "noeviction"
  }

  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }

  depends_on = [google_service_networking_connection.services]
}

locals {
  redis_address = "${google_redis_instance.broker.host}:${google_redis_instance.broker.port}"
  broker_url    = "redis://:${google_redis_instance.broker.auth_string}@${local.redis_address}/0"
}
