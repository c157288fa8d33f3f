"""The ALTCHA challenge the booking form's widget solves."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AltchaChallenge(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "algorithm": "SHA-256",
                    "challenge": "4c2b8b3f0d1e5a6c7b8a9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a",
                    "maxnumber": 100000,
                    "salt": "5f1d8e2c9b3a7d6e4f0a1b2c?expires=1764590400&",
                    "signature": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
                }
            ]
        }
    )

    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str
