#!/usr/bin/env python3
"""Generate the asymmetric JWS test vectors in Tests/TokenCoreTests/Fixtures/asymmetric/.

Independent implementation: Python `cryptography` (OpenSSL underneath) signs; the Swift code
under test only verifies. Keys are derived deterministically from fixed seeds so a rerun
yields the same keys (RSA primes come from a seeded search, EC scalars and Ed25519 seeds from
SHA-256 of a label). PKCS#1 v1.5 and Ed25519 signatures are deterministic; PSS and ECDSA
signatures are randomised, so a rerun changes those tokens but every one still verifies.

Output: Tests/TokenCoreTests/Fixtures/asymmetric/vectors.json

    {
      "claims": {...}, "verifyAt": <unix seconds inside the tokens' validity>,
      "cases": [
        {"alg": "RS256", "kid": "...", "jwk": {public JWK}, "pem": "SPKI PEM",
         "pkcs1Pem": "RSA PUBLIC KEY PEM (RSA only)",
         "token": "header.payload.signature",
         "signingInput": "header.payload", "signatureHex": "...",
         "mutated": [{"why": "...", "token": "..."}]}   # every mutated token must fail
      ],
      "jwks": {"keys": [every case's JWK]},
      "rejectedKeys": [{"why": "...", "jwk": {...}, "pem": "..."}]  # import must refuse
    }

Run: python3 scripts/vectors/gen_asymmetric_vectors.py
"""
import base64
import hashlib
import json
import os
import random

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "TokenCoreTests", "Fixtures", "asymmetric", "vectors.json")

CLAIMS = {
    "iss": "https://issuer.example",
    "sub": "user-42",
    "aud": "api.example",
    "iat": 1700000000,
    "exp": 1700003600,
    "name": "Ada Lovelace",
    "scope": "read write",
}
VERIFY_AT = 1700000100


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_int(value: int, length: int | None = None) -> str:
    if length is None:
        length = max(1, (value.bit_length() + 7) // 8)
    return b64u(value.to_bytes(length, "big"))


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


# --- deterministic keys -------------------------------------------------------------------------

def is_probable_prime(n: int, rng: random.Random) -> bool:
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(40):
        a = rng.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def rsa_key(bits: int, label: str) -> rsa.RSAPrivateKey:
    rng = random.Random(hashlib.sha256(label.encode()).digest())
    e = 65537
    half = bits // 2
    while True:
        primes = []
        while len(primes) < 2:
            # Top two bits set so p*q has exactly `bits` bits.
            candidate = rng.getrandbits(half) | (3 << (half - 2)) | 1
            if (candidate - 1) % e != 0 and is_probable_prime(candidate, rng):
                primes.append(candidate)
        p, q = primes
        if p == q:
            continue
        n = p * q
        if n.bit_length() != bits:
            continue
        phi = (p - 1) * (q - 1)
        d = pow(e, -1, phi)
        numbers = rsa.RSAPrivateNumbers(
            p=p, q=q, d=d, dmp1=d % (p - 1), dmq1=d % (q - 1), iqmp=pow(q, -1, p),
            public_numbers=rsa.RSAPublicNumbers(e, n),
        )
        return numbers.private_key()


def ec_key(curve, label: str):
    order = {"secp256r1": int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16),
             "secp384r1": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16)}[curve.name]
    scalar = int.from_bytes(hashlib.sha512(label.encode()).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, curve)


def ed_key(label: str):
    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


# --- public key forms ---------------------------------------------------------------------------

def spki_pem(public_key) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def jwk_of(public_key, alg: str, kid: str) -> dict:
    if isinstance(public_key, rsa.RSAPublicKey):
        nums = public_key.public_numbers()
        return {"kty": "RSA", "kid": kid, "use": "sig", "alg": alg, "n": b64u_int(nums.n), "e": b64u_int(nums.e)}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        nums = public_key.public_numbers()
        size = (public_key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[public_key.curve.name]
        return {"kty": "EC", "kid": kid, "use": "sig", "alg": alg, "crv": crv,
                "x": b64u_int(nums.x, size), "y": b64u_int(nums.y, size)}
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "kid": kid, "use": "sig", "alg": alg, "crv": "Ed25519", "x": b64u(raw)}


# --- signing ------------------------------------------------------------------------------------

HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def sign(alg: str, key, data: bytes) -> bytes:
    if alg.startswith("RS"):
        return key.sign(data, padding.PKCS1v15(), HASHES[alg[2:]]())
    if alg.startswith("PS"):
        h = HASHES[alg[2:]]()
        return key.sign(data, padding.PSS(mgf=padding.MGF1(HASHES[alg[2:]]()), salt_length=h.digest_size), h)
    if alg.startswith("ES"):
        der = key.sign(data, ec.ECDSA(HASHES[alg[2:]]()))
        r, s = decode_dss_signature(der)
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return key.sign(data)


def mutations(alg: str, key, header_b64: str, payload_b64: str, signature: bytes, other_key) -> list:
    signing_input = f"{header_b64}.{payload_b64}"
    out = []

    def add(why, sig=None, token=None):
        out.append({"why": why, "token": token if token is not None else f"{signing_input}.{b64u(sig)}"})

    flipped = bytearray(signature)
    flipped[len(flipped) // 2] ^= 0x01
    add("one bit flipped in the middle of the signature", bytes(flipped))
    last = bytearray(signature)
    last[-1] ^= 0x80
    add("top bit of the last signature byte flipped", bytes(last))
    first = bytearray(signature)
    first[0] ^= 0x01
    add("lowest bit of the first signature byte flipped", bytes(first))
    add("signature truncated by one byte", signature[:-1])
    add("signature extended by a zero byte", signature + b"\x00")
    add("signature prefixed with a zero byte", b"\x00" + signature)
    add("empty signature", b"")
    add("all-zero signature", bytes(len(signature)))
    add("signature made by a different key of the same type", sign(alg, other_key, signing_input.encode()))
    tampered_claims = dict(CLAIMS, sub="admin")
    tampered_payload = b64u(compact(tampered_claims))
    add("payload changed after signing", token=f"{header_b64}.{tampered_payload}.{b64u(signature)}")
    if alg.startswith("ES"):
        r, s = int.from_bytes(signature[: len(signature) // 2], "big"), int.from_bytes(signature[len(signature) // 2:], "big")
        add("ECDSA signature in DER form instead of r||s", encode_dss_signature(r, s))
        size = len(signature) // 2
        order = {32: int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16),
                 48: int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16)}[size]
        add("r = 0, s = 0 (CVE-2022-21449)", bytes(2 * size))
        add("r = s = n (CVE-2022-21449 variant)", order.to_bytes(size, "big") * 2)
        add("s replaced by s + n (not reduced)", r.to_bytes(size, "big") + ((s + order) % (1 << (8 * size))).to_bytes(size, "big"))
    if alg == "EdDSA":
        L = 2**252 + 27742317777372542324094434801237424657
        s = int.from_bytes(signature[32:], "little")
        add("Ed25519 S replaced by S + L (non-canonical)", signature[:32] + (s + L).to_bytes(32, "little"))
    if alg.startswith("RS") or alg.startswith("PS"):
        other = "PS" if alg.startswith("RS") else "RS"
        add(f"{other}{alg[2:]} signature (other RSA padding) under an {alg} header", sign(other + alg[2:], key, signing_input.encode()))
    return out


SPECS = [
    # alg, label, key factory
    ("RS256", "rs256-2048", lambda: rsa_key(2048, "swift-token-auth rs256")),
    ("RS384", "rs384-3072", lambda: rsa_key(3072, "swift-token-auth rs384")),
    ("RS512", "rs512-4096", lambda: rsa_key(4096, "swift-token-auth rs512")),
    ("PS256", "ps256-2048", lambda: rsa_key(2048, "swift-token-auth ps256")),
    ("PS384", "ps384-3072", lambda: rsa_key(3072, "swift-token-auth ps384")),
    ("PS512", "ps512-4096", lambda: rsa_key(4096, "swift-token-auth ps512")),
    ("ES256", "es256-p256", lambda: ec_key(ec.SECP256R1(), "swift-token-auth es256")),
    ("ES384", "es384-p384", lambda: ec_key(ec.SECP384R1(), "swift-token-auth es384")),
    ("EdDSA", "eddsa-ed25519", lambda: ed_key("swift-token-auth eddsa")),
]
OTHER = {
    "RS": lambda: rsa_key(2048, "swift-token-auth other rsa"),
    "PS": lambda: rsa_key(2048, "swift-token-auth other rsa"),
    "ES256": lambda: ec_key(ec.SECP256R1(), "swift-token-auth other p256"),
    "ES384": lambda: ec_key(ec.SECP384R1(), "swift-token-auth other p384"),
    "EdDSA": lambda: ed_key("swift-token-auth other ed25519"),
}


def main():
    cases = []
    for alg, kid, make in SPECS:
        key = make()
        other = (OTHER.get(alg) or OTHER[alg[:2]])()
        public = key.public_key()
        header_b64 = b64u(compact({"alg": alg, "kid": kid, "typ": "JWT"}))
        payload_b64 = b64u(compact(CLAIMS))
        signing_input = f"{header_b64}.{payload_b64}".encode()
        signature = sign(alg, key, signing_input)
        case = {
            "alg": alg,
            "kid": kid,
            "jwk": jwk_of(public, alg, kid),
            "pem": spki_pem(public),
            "token": f"{header_b64}.{payload_b64}.{b64u(signature)}",
            "signingInput": signing_input.decode(),
            "signatureHex": signature.hex(),
            "mutated": mutations(alg, key, header_b64, payload_b64, signature, other),
        }
        if isinstance(public, rsa.RSAPublicKey):
            case["pkcs1Pem"] = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()
        cases.append(case)

    weak = rsa_key(1024, "swift-token-auth weak rsa").public_key()
    weak_jwk = jwk_of(weak, "RS256", "weak-1024")
    rejected = [
        {"why": "RSA modulus of 1024 bits (< 2048)", "jwk": weak_jwk, "pem": spki_pem(weak)},
    ]
    # A 2047-bit modulus: still under the 2048-bit floor.
    short = rsa_key(2046, "swift-token-auth short rsa").public_key()
    rejected.append({"why": "RSA modulus of 2046 bits (< 2048)", "jwk": jwk_of(short, "RS256", "short-2046"), "pem": spki_pem(short)})

    document = {
        "generator": "scripts/vectors/gen_asymmetric_vectors.py",
        "claims": CLAIMS,
        "verifyAt": VERIFY_AT,
        "cases": cases,
        "jwks": {"keys": [c["jwk"] for c in cases]},
        "rejectedKeys": rejected,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases, {sum(len(c['mutated']) for c in cases)} mutated tokens")


if __name__ == "__main__":
    main()
