#!/usr/bin/env python3
"""Generates the differential ECDSA / Ed25519 vectors in Tests/TokenCoreTests/Fixtures/ecc/.

An independent implementation (Python `cryptography`, OpenSSL underneath) signs messages with
fixed keys; every signature it makes is checked by it, then mutated in ways a verifier must
refuse (bit flips in r, s, R, S and the message, swapped halves, r/s = 0 or n, S + L, wrong
length, DER encoding, another key). The Swift tests require exactly the recorded outcome.
Deterministic apart from ECDSA nonces (the JSON is committed, so reruns only change signatures).

    python3 scripts/vectors/gen_ec_vectors.py
    python3 scripts/vectors/gen_ec_vectors.py --random 8   # fresh random keys, JSON on stdout

The `--random` form is what the live differential tests (ECDSATests, Ed25519Tests) run when
python3 with `cryptography` is available: new keys and messages every run, same mutations.
"""
import json
import os
import secrets
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "TokenCoreTests", "Fixtures", "ecc")

CURVES = {
    "P-256": (ec.SECP256R1(), hashes.SHA256(), 32,
              0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    "P-384": (ec.SECP384R1(), hashes.SHA384(), 48,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973),
}
L = 2**252 + 27742317777372353535851937790883648493

# Fixed private scalars / seeds so the keys never change between runs.
EC_SECRETS = [0x1F2E3D4C5B6A79880123456789ABCDEF, 0xC0FFEE1234567890DEADBEEF, 7, 2**200 + 12345]
ED_SEEDS = [bytes(range(i, i + 32)) for i in (0, 32, 64, 96)]
MESSAGES = [b"", b"a", b"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0In0", bytes(range(256)), b"x" * 1000]


def flip(data, index, bit=0):
    b = bytearray(data)
    b[index] ^= 1 << bit
    return bytes(b)


def ec_cases():
    cases = []
    for curve_name, (curve, hash_alg, size, n) in CURVES.items():
        for secret in EC_SECRETS:
            key = ec.derive_private_key(secret, curve)
            pub = key.public_key()
            numbers = pub.public_numbers()
            other = ec.derive_private_key(secret + 1, curve).public_key().public_numbers()

            def case(msg, sig, comment, nums=numbers):
                # The independent implementation decides validity; fixed-length r‖s only.
                valid = False
                if len(sig) == 2 * size:
                    r, s = int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big")
                    if 0 < r < n and 0 < s < n:
                        try:
                            ec.EllipticCurvePublicNumbers(nums.x, nums.y, curve).public_key().verify(
                                encode_dss_signature(r, s), msg, ec.ECDSA(hash_alg))
                            valid = True
                        except InvalidSignature:
                            pass
                cases.append({
                    "curve": curve_name,
                    "x": nums.x.to_bytes(size, "big").hex(),
                    "y": nums.y.to_bytes(size, "big").hex(),
                    "msg": msg.hex(), "sig": sig.hex(), "valid": valid, "comment": comment,
                })

            for mi, msg in enumerate(MESSAGES):
                der = key.sign(msg, ec.ECDSA(hash_alg))
                r, s = decode_dss_signature(der)
                raw = r.to_bytes(size, "big") + s.to_bytes(size, "big")
                high = r.to_bytes(size, "big") + (n - s).to_bytes(size, "big")
                case(msg, raw, f"valid m{mi}")
                case(msg, high, f"high-S m{mi}")
                if mi > 1:
                    continue
                case(msg, flip(raw, 0), f"r bit flip m{mi}")
                case(msg, flip(raw, size + size - 1), f"s bit flip m{mi}")
                case(msg + b"!", raw, f"message changed m{mi}")
                case(msg, raw[size:] + raw[:size], f"r and s swapped m{mi}")
                case(msg, raw, f"other key m{mi}", nums=other)
                case(msg, (r + n).to_bytes(size + 1, "big")[1:] + raw[size:] if r + n < 2 ** (8 * size) else raw[:size] + bytes(size), f"r + n m{mi}")
                case(msg, bytes(size) + raw[size:], f"r = 0 m{mi}")
                case(msg, raw[:size] + n.to_bytes(size, "big"), f"s = n m{mi}")
                case(msg, raw[:-1], f"truncated m{mi}")
                case(msg, der, f"DER m{mi}")
    return cases


def ed_cases():
    cases = []
    for si, seed in enumerate(ED_SEEDS):
        key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        pub = key.public_key()
        pk = pub.public_bytes_raw()
        other = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(32 - si) + bytes(si)).public_key().public_bytes_raw()

        def case(msg, sig, comment, key_bytes=pk):
            valid = False
            try:
                ed25519.Ed25519PublicKey.from_public_bytes(key_bytes).verify(sig, msg)
                valid = True
            except (InvalidSignature, ValueError):
                pass
            cases.append({"publicKey": key_bytes.hex(), "msg": msg.hex(), "sig": sig.hex(),
                          "valid": valid, "comment": comment})

        for mi, msg in enumerate(MESSAGES):
            sig = key.sign(msg)
            case(msg, sig, f"valid k{si} m{mi}")
            if mi > 1:
                continue
            s = int.from_bytes(sig[32:], "little")
            case(msg, sig[:32] + (s + L).to_bytes(32, "little"), f"S + L k{si} m{mi}")
            case(msg, flip(sig, 0), f"R bit flip k{si} m{mi}")
            case(msg, flip(sig, 40), f"S bit flip k{si} m{mi}")
            case(msg, flip(sig, 31, 7), f"R sign bit k{si} m{mi}")
            case(msg + b"!", sig, f"message changed k{si} m{mi}")
            case(msg, sig, f"other key k{si} m{mi}", key_bytes=other)
            case(msg, sig[:63], f"truncated k{si} m{mi}")
            case(msg, sig + b"\x00", f"trailing byte k{si} m{mi}")
            case(msg, sig[32:] + sig[:32], f"R and S swapped k{si} m{mi}")
    return cases


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--random":
        count = max(1, min(int(sys.argv[2]), 64))
        global EC_SECRETS, ED_SEEDS, MESSAGES
        EC_SECRETS = [secrets.randbelow(2**250) + 1 for _ in range(count)]
        ED_SEEDS = [secrets.token_bytes(32) for _ in range(count)]
        MESSAGES = [secrets.token_bytes(n) for n in (0, 1, 43, 200, 1000)]
        json.dump({"ecdsa": ec_cases(), "ed25519": ed_cases()}, sys.stdout)
        return
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ecdsa_vectors.json"), "w") as fh:
        json.dump({"generator": "scripts/vectors/gen_ec_vectors.py", "ecdsa": ec_cases()}, fh, indent=1)
        fh.write("\n")
    with open(os.path.join(OUT, "ed25519_vectors.json"), "w") as fh:
        json.dump({"generator": "scripts/vectors/gen_ec_vectors.py", "ed25519": ed_cases()}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
