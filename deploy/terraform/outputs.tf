output "web_url" {
  description = "The learner-facing URL."
  value       = google_cloud_run_v2_service.web.uri
}

output "registry" {
  description = "Where Cloud Build pushes the images."
  value       = local.registry
}

output "workers_cluster" {
  description = "The GKE Autopilot cluster running the workers, beat and KEDA."
  value       = google_container_cluster.workers.name
}

output "recordings_bucket" {
  description = "The recordings bucket (RECITAL_STORAGE_URL is gs://<this>)."
  value       = google_storage_bucket.recordings.name
}

output "build_service_account" {
  description = "Run Cloud Build triggers as this account."
  value       = google_service_account.role["build"].email
}

output "migrate_job" {
  description = "The migration job Cloud Build runs before each release."
  value       = google_cloud_run_v2_job.migrate.name
}


output "build_sources" {
  description = "gcloud builds submit --gcs-source-staging-dir gs://<this>/source"
  value       = google_storage_bucket.build_sources.name
}
