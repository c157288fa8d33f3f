"""What catalog publishes (contracts, outbox); it consumes only auth's user events, for revocations."""
