"""Large manifests' steps as background jobs: queued by the step, run by the intake worker."""
