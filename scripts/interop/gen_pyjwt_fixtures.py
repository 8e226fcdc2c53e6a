#!/usr/bin/env python3
"""Generates Tests/TokenCoreTests/Fixtures/jwt/pyjwt_tokens.json: tokens signed by PyJWT, so the
interop direction "PyJWT signs, swift-token-auth verifies" is checked even without python.

    python3 scripts/interop/gen_pyjwt_fixtures.py > Tests/TokenCoreTests/Fixtures/jwt/pyjwt_tokens.json

Times are fixed (iat 1700000000, exp 4102444800); the test verifies at 1700000100.
"""
import json

import jwt

SECRETS = {
    "HS256": bytes(range(32)),
    "HS384": bytes(range(100, 148)),
    "HS512": bytes(range(0, 128, 2)),
}

CLAIMS = {
    "sub": "user-12345",
    "iss": "https://auth.example.com",
    "aud": ["api.example.com", "other"],
    "iat": 1700000000,
    "nbf": 1700000000,
    "exp": 4102444800,
    "jti": "f2c1a7d0-interop",
    "name": "Zoë Ünïcødé 🚀",
    "scope": "read:items write:items",
    "roles": ["admin", "user"],
    "profile": {"age": 42, "ratio": 0.125, "verified": True, "nickname": None},
    "escaped": "quote \" backslash \\ slash / newline \n tab \t",
}


def main():
    cases = []
    for alg, secret in SECRETS.items():
        cases.append({
            "alg": alg,
            "secret_hex": secret.hex(),
            "kid": f"pyjwt-{alg.lower()}",
            "token": jwt.encode(CLAIMS, secret, algorithm=alg, headers={"kid": f"pyjwt-{alg.lower()}"}),
        })
    print(json.dumps({"pyjwt_version": jwt.__version__, "claims": CLAIMS, "cases": cases}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
