"""The AI proxy (seed 002 /api/ai) and the provider interface intake's AI steps share."""
