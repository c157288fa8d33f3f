"""A step queued as a background job: what its 202 answers and its status look like."""
