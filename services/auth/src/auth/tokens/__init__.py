"""Issued tokens: the refresh-token store and the ending of sessions (a login, or all of a user's), used by sessions, accounts and passwords."""
