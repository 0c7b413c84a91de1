# Recital on Google Cloud. Apply from an empty project: deploy/README.md.
terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State holds generated passwords (database, Redis AUTH, signing key): keep
  # it in a bucket only the deployers can read, never on a laptop.
  #   terraform init -backend-config="bucket=<project>-tfstate"
  backend "gcs" {
    prefix = "recital"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
