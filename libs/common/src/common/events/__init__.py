"""Event machinery: envelope, outbox, relay, NATS bus, idempotent consumer, dead letters.

No event schema of any service lives here: each service declares what it
publishes and its own copy of what it consumes.
"""
