"""AI cleanup of manifest rows: a background job, batch by batch, with progress."""
