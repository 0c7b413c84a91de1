# One VPC: Cloud SQL and Memorystore on private IPs (private services access),
# GKE nodes without public IPs, Cloud NAT for their egress (the OpenAI API),
# Cloud Run reaching in through Direct VPC egress.
resource "google_compute_network" "recital" {
  name                    = "recital"
  auto_create_subnetworks = false
  depends_on              = [google_project_service.apis]
}

resource "google_compute_subnetwork" "recital" {
  name                     = "recital"
  region                   = var.region
  network                  = google_compute_network.recital.id
  ip_cidr_range            = var.network_cidrs.subnet
  private_ip_google_access = true

  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = var.network_cidrs.pods
  }
  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = var.network_cidrs.services
  }

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 0.5
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_global_address" "services" {
  name          = "recital-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.recital.id
}

resource "google_service_networking_connection" "services" {
  network                 = google_compute_network.recital.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.services.name]
}

resource "google_compute_router" "recital" {
  name    = "recital"
  region  = var.region
  network = google_compute_network.recital.id
}

resource "google_compute_router_nat" "recital" {
  name                               = "recital"
  router                             = google_compute_router.recital.name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}

# Nothing outside reaches the VPC: nodes take no inbound traffic except what
# GKE itself opens (its rules have priority 1000, above this one).
resource "google_compute_firewall" "deny_ingress" {
  name      = "recital-deny-ingress"
  network   = google_compute_network.recital.name
  direction = "INGRESS"
  priority  = 65000

  deny {
    protocol = "all"
  }
  source_ranges = ["0.0.0.0/0"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
