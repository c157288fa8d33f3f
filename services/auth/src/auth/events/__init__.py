"""What auth publishes: ``contracts`` (the payloads, checked by the outbox) and ``outbox``
(the subjects and the helpers the domains publish through). Auth consumes nothing."""
