#!/usr/bin/env python3
"""Login / call / refresh / reuse-detection / logout against the example server, with requests,
checking the access token's claims with PyJWT.

Usage: client.py BASE_URL [--user demo] [--password PW] [--jwt-secret B64URL]
                          [--issuer swift-token-auth-demo] [--audience token-auth-demo-api]

With --jwt-secret (the server's HS256 key, e.g. "jwtKey" from DATA_DIR/secrets.json) the token's
signature, expiry, issuer and audience are verified by PyJWT; without it the claims are only
decoded, and the script says so. A route the server lacks (404) is reported as SKIPPED.
Needs: pip install pyjwt requests
"""
import argparse
import base64
import os
import sys

import jwt
import requests

skipped = 0


def check(title, response, expected):
    """Prints the outcome; returns False (skip) for a missing route, exits on anything else."""
    global skipped
    if response.status_code == 404 and expected != 404:
        print(f"SKIPPED  {title}: the server has no such route (404)")
        skipped += 1
        return False
    if response.status_code != expected:
        print(f"FAILED   {title}: expected {expected}, got {response.status_code}: {response.text[:300]}", file=sys.stderr)
        sys.exit(1)
    print(f"ok       {title} -> {response.status_code}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--user", default=os.environ.get("TOKEN_AUTH_USER", "demo"))
    parser.add_argument("--password", default=os.environ.get("TOKEN_AUTH_PASSWORD"))
    parser.add_argument("--jwt-secret", default=os.environ.get("TOKEN_AUTH_JWT_SECRET"))
    parser.add_argument("--issuer", default="swift-token-auth-demo")
    parser.add_argument("--audience", default="token-auth-demo-api")
    args = parser.parse_args()
    if not args.password:
        parser.error("no password: use --password or TOKEN_AUTH_PASSWORD")
    base = args.base_url.rstrip("/")
    http = requests.Session()
    print(f"== python client (requests {requests.__version__}, PyJWT {jwt.__version__}) against {base} as '{args.user}'")

    def login():
        return http.post(f"{base}/auth/login", json={"username": args.user, "password": args.password}, timeout=30)

    response = login()
    if not check("POST /auth/login", response, 200):
        print(f"== done: {skipped} skipped")
        return
    pair = response.json()
    access, refresh = pair["access_token"], pair["refresh_token"]

    if args.jwt_secret:
        key = base64.urlsafe_b64decode(args.jwt_secret + "=" * (-len(args.jwt_secret) % 4))
        claims = jwt.decode(access, key, algorithms=["HS256"], audience=args.audience, issuer=args.issuer,
                            options={"require": ["exp", "iat", "sub"]})
        print(f"         PyJWT verified the access token (HS256): sub={claims['sub']} scope={claims.get('scope')!r}")
    else:
        claims = jwt.decode(access, options={"verify_signature": False})
        print(f"         PyJWT decoded the access token WITHOUT verifying it (no --jwt-secret): sub={claims.get('sub')}")
    if claims.get("sub") != args.user:
        print(f"FAILED   the token's subject is {claims.get('sub')!r}, not {args.user!r}", file=sys.stderr)
        sys.exit(1)

    bearer = lambda token: {"Authorization": f"Bearer {token}"}
    check("GET /api/me with the access token", http.get(f"{base}/api/me", headers=bearer(access), timeout=30), 200)

    response = http.post(f"{base}/auth/refresh", json={"refresh_token": refresh}, timeout=30)
    if check("POST /auth/refresh (rotation)", response, 200):
        rotated = response.json()["access_token"]
        check("GET /api/me with the rotated token", http.get(f"{base}/api/me", headers=bearer(rotated), timeout=30), 200)
        reuse = http.post(f"{base}/auth/refresh", json={"refresh_token": refresh}, timeout=30)
        check("POST /auth/refresh with the used token: reuse detected", reuse, 401)
        print(f"         {reuse.json().get('code')}: {reuse.json().get('detail')}")
        check("GET /api/me after reuse: session revoked", http.get(f"{base}/api/me", headers=bearer(rotated), timeout=30), 401)

    response = login()
    if check("POST /auth/login (new session)", response, 200):
        token = response.json()["access_token"]
        if check("POST /auth/logout", http.post(f"{base}/auth/logout", headers=bearer(token), timeout=30), 204):
            check("GET /api/me after logout", http.get(f"{base}/api/me", headers=bearer(token), timeout=30), 401)
    print(f"== done: all steps passed, {skipped} skipped")


if __name__ == "__main__":
    main()
