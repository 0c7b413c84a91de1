variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region for every regional resource (Cloud Run, Cloud SQL, Memorystore, GKE, Artifact Registry)."
  type        = string
  default     = "europe-west1"
}

variable "bootstrap_image" {
  description = "Image the web service and migration job are created with, before the first release replaces it (deploy/cloudbuild.yaml); Terraform ignores the image after that."
  type        = string
  default     = "us-docker.pkg.dev/cloudrun/container/hello"
}

variable "web_min_instances" {
  description = "Cloud Run instances kept warm (0 lets the web scale to zero at the cost of cold starts)."
  type        = number
  default     = 1
}

variable "web_max_instances" {
  description = "Upper bound on Cloud Run instances; keep max x 4 gunicorn processes x pool size under Cloud SQL's max_connections."
  type        = number
  default     = 10
}

variable "web_concurrency" {
  description = "Requests per Cloud Run instance: gunicorn's 4 processes x 4 threads (Dockerfile.web)."
  type        = number
  default     = 16
}

variable "public_access" {
  description = "How learners reach the web: \"public\" disables the invoker IAM check (allowed under the domain-restricted-sharing organisation policy, unlike allUsers), \"iap\" puts Identity-Aware Proxy in front."
  type        = string
  default     = "public"

  validation {
    condition     = contains(["public", "iap"], var.public_access)
    error_message = "public_access must be \"public\" or \"iap\"."
  }
}

variable "db_tier" {
  description = "Cloud SQL machine tier."
  type        = string
  default     = "db-custom-2-7680"
}

variable "redis_memory_gb" {
  description = "Memorystore capacity; the broker holds only task messages, which are small."
  type        = number
  default     = 1
}

variable "recordings_retention_days" {
  description = "Recordings are deleted this many days after upload (scores and transcripts stay in Postgres)."
  type        = number
  default     = 365
}

variable "web_origins" {
  description = "Browser origins allowed to PUT recordings straight to the bucket with a signed URL (CORS)."
  type        = list(string)
  default     = []
}

variable "network_cidrs" {
  description = "Primary range of the subnet, and the GKE pods and services ranges."
  type = object({
    subnet   = string
    pods     = string
    services = string
    master   = string
  })
  default = {
    subnet   = "10.10.0.0/20"
    pods     = "10.20.0.0/14"
    services = "10.24.0.0/20"
    master   = "172.16.0.0/28"
  }
}
