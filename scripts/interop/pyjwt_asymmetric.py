#!/usr/bin/env python3
"""Sign one token per asymmetric JWS algorithm with PyJWT, for the Swift interop test.

Fresh keys every run (the Swift side must verify whatever PyJWT produces). Prints JSON:
  {"now": <unix seconds>, "jwks": {"keys": [...]},
   "cases": [{"alg", "kid", "token", "pem"}]}
The JWKs come from PyJWT's own `to_jwk`, the PEMs from `cryptography`.
"""
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm


def main():
    now = int(time.time())
    rsa_keys = {bits: rsa.generate_private_key(public_exponent=65537, key_size=bits) for bits in (2048, 3072)}
    specs = [
        ("RS256", rsa_keys[2048], RSAAlgorithm), ("RS384", rsa_keys[3072], RSAAlgorithm), ("RS512", rsa_keys[2048], RSAAlgorithm),
        ("PS256", rsa_keys[2048], RSAAlgorithm), ("PS384", rsa_keys[3072], RSAAlgorithm), ("PS512", rsa_keys[3072], RSAAlgorithm),
        ("ES256", ec.generate_private_key(ec.SECP256R1()), ECAlgorithm),
        ("ES384", ec.generate_private_key(ec.SECP384R1()), ECAlgorithm),
        ("EdDSA", ed25519.Ed25519PrivateKey.generate(), OKPAlgorithm),
    ]
    cases, keys = [], []
    for alg, private, algorithm in specs:
        kid = f"pyjwt-{alg.lower()}"
        public = private.public_key()
        jwk = algorithm.to_jwk(public, as_dict=True)
        jwk.update({"kid": kid, "alg": alg, "use": "sig"})
        keys.append(jwk)
        claims = {"iss": "https://pyjwt.example", "sub": "interop", "aud": "api.example",
                  "iat": now, "exp": now + 600, "alg_under_test": alg}
        token = jwt.encode(claims, private, algorithm=alg, headers={"kid": kid})
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        cases.append({"alg": alg, "kid": kid, "token": token, "pem": pem})
    print(json.dumps({"now": now, "jwks": {"keys": keys}, "cases": cases}))


if __name__ == "__main__":
    main()
