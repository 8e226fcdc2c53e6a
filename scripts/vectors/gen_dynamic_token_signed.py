#!/usr/bin/env python3
"""Generates Tests/TokenCoreTests/Fixtures/dynamic-token/signed-v1.json.

An implementation of the signed dynamic-token format (Docs/DynamicTokenSigned.md) written from
the specification alone with Python's standard library (hmac, hashlib, base64), independent of
the Swift code. The Swift tests check that DynamicTokenSigner produces exactly these tokens and
that DynamicTokenVerifier accepts them.

    python3 scripts/vectors/gen_dynamic_token_signed.py > Tests/TokenCoreTests/Fixtures/dynamic-token/signed-v1.json
"""
import base64
import hashlib
import hmac
import json

LABEL = b"DynamicToken-HMAC-SHA256"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign(kid, secret, ts, nonce, method, target, body, subject):
    flag = "0" if body is None else "1"
    signed_part = f"v1.{kid}.{ts}.{b64url(nonce)}.{flag}.{subject or ''}"
    body_hash = b"" if body is None else hashlib.sha256(body).hexdigest().encode("ascii")
    canonical = b"\n".join([LABEL, signed_part.encode("ascii"), method.encode("ascii"), target.encode("ascii"), body_hash])
    mac = hmac.new(secret, canonical, hashlib.sha256).digest()
    return canonical, f"{signed_part}.{b64url(mac)}"


def main():
    secret = bytes(range(32))  # 000102…1f
    secret2 = hashlib.sha256(b"swift-token-auth dynamic-token rotation key").digest()
    nonce = bytes.fromhex("00112233445566778899aabbccddeeff")
    nonce32 = bytes(range(0xA0, 0xC0))
    ts = 1710105367868
    cases = [
        ("get-no-body-bound-empty", "k1", secret, ts, nonce, "GET", "/api/items?page=2", b"", None),
        ("post-json-with-subject", "k1", secret, ts, nonce, "POST", "/api/orders", b'{"item":42,"qty":1}', "5d00012de43dcd165cceb295"),
        ("body-unbound", "k1", secret, ts, nonce, "DELETE", "/api/items/7", None, None),
        ("percent-encoded-query", "k1", secret, ts + 1, nonce, "GET", "/search?q=caf%C3%A9&sort=-date", b"", "user_42"),
        ("rotated-key-32-byte-nonce", "2026-11", secret2, 1767225600000, nonce32, "PUT", "/v2/profile", b"\x00\xffbinary\n", "a-b_C-9"),
        ("timestamp-zero", "k1", secret, 0, nonce, "GET", "/", b"", None),
    ]
    vectors = []
    for name, kid, key, t, n, method, target, body, subject in cases:
        canonical, token = sign(kid, key, t, n, method, target, body, subject)
        vectors.append({
            "name": name,
            "keyID": kid,
            "secretHex": key.hex(),
            "timestampMs": t,
            "nonceHex": n.hex(),
            "method": method,
            "target": target,
            "bodyHex": None if body is None else body.hex(),
            "subject": subject,
            "canonical": canonical.decode("ascii"),
            "token": token,
        })
    print(json.dumps({
        "source": "scripts/vectors/gen_dynamic_token_signed.py (Python hmac/hashlib/base64, independent of the Swift implementation)",
        "vectors": vectors,
    }, indent=2))


if __name__ == "__main__":
    main()
