"""Password secrets: argon2 hashing and the strength rules, shared by accounts, passwords and sessions."""
