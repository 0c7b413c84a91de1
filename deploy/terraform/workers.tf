# Workers need 4 GB each and should follow the recordings queue, down to
# zero when it is empty. GKE Autopilot bills per pod request (no idle node
# pool to size) and KEDA's Redis list scaler reads the queue length straight
# from the broker (deploy/k8s/). A managed instance group would need a
# custom metric exported from Redis first and scales whole VMs in minutes;
# Cloud Run has no pull-based scaling on a Redis list.
resource "google_container_cluster" "workers" {
  #checkov:skip=CKV_GCP_12:Autopilot always runs GKE Dataplane V2, which enforces NetworkPolicy (deploy/k8s/00-namespace.yaml has one); the network_policy block cannot be set on Autopilot.
  #checkov:skip=CKV_GCP_61:Autopilot manages intranode visibility; VPC flow logs are on in the subnetwork (network.tf).
  #checkov:skip=CKV_GCP_69:Autopilot always runs the GKE metadata server (Workload Identity); node_config cannot be set on Autopilot.
  #checkov:skip=CKV_GCP_65:Google Groups for RBAC needs a Workspace domain's gke-security-groups group; the only human access is project IAM through the DNS endpoint.
  name                = "recital-workers"
  location            = var.region
  enable_autopilot    = true
  deletion_protection = true
  network             = google_compute_network.recital.id
  subnetwork          = google_compute_subnetwork.recital.id
  resource_labels     = local.labels

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  # Nodes have no public IPs (egress through Cloud NAT). The control plane's
  # IP endpoint accepts no outside address; kubectl and Cloud Build use the
  # DNS endpoint, which IAM guards.
  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = var.network_cidrs.master
  }

  master_authorized_networks_config {
    gcp_public_cidrs_access_enabled = false
  }

  control_plane_endpoints_config {
    dns_endpoint_config {
      allow_external_traffic = true
    }
  }

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  release_channel {
    channel = "REGULAR"
  }

  # The Secret Manager add-on mounts secrets into pods at start (deploy/k8s).
  secret_manager_config {
    enabled = true
  }

  binary_authorization {
    evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
  }

  cluster_autoscaling {
    auto_provisioning_defaults {
      service_account = google_service_account.role["nodes"].email
      oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    }
  }

  depends_on = [google_project_service.apis, google_project_iam_member.nodes]
}
