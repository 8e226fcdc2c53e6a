#!/usr/bin/env python3
"""Generates Tests/TokenCoreTests/Fixtures/crypto/hash_vectors.json.

An independent reference for TokenCore's SHA-2, HMAC and PBKDF2: every value comes from
Python's hashlib / hmac (OpenSSL underneath), from a fixed seed, so re-running reproduces the
committed file byte for byte.

    python3 scripts/vectors/gen_hash_vectors.py

Sections:
  lengths   SHA-256/384/512 of pattern(n) for every n in 0...300, where
            pattern(n)[i] = (31 * i + 7) mod 256 (crosses every block boundary up to 300 bytes).
  long      SHA-2 of pattern(n) for multi-block lengths up to 100 KiB (CAVP "long message" style).
  cases     random (key, message) pairs with SHA-2 digests of the message and HMAC tags.
  pbkdf2    PBKDF2-HMAC-SHA256/512 with random password, salt, iterations and output length.
  phc       PHC strings ($pbkdf2-sha256$i=...$salt$hash, unpadded standard base64) with the password.
"""
import base64
import hashlib
import hmac
import json
import os
import random

SEED = 20261122
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TokenCoreTests", "Fixtures", "crypto", "hash_vectors.json")


def pattern(n):
    return bytes((31 * i + 7) % 256 for i in range(n))


def digests(message):
    return {
        "sha256": hashlib.sha256(message).hexdigest(),
        "sha384": hashlib.sha384(message).hexdigest(),
        "sha512": hashlib.sha512(message).hexdigest(),
    }


def b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def main():
    rng = random.Random(SEED)
    rand = lambda n: bytes(rng.getrandbits(8) for _ in range(n))

    lengths = [dict(length=n, **digests(pattern(n))) for n in range(0, 301)]
    long_lengths = [1000, 4095, 4096, 4097, 65536 - 1, 65536, 65536 + 111, 102400]
    long = [dict(length=n, **digests(pattern(n))) for n in long_lengths]

    cases = []
    # Key lengths cross both block sizes (64 and 128): longer keys are hashed first (RFC 2104 §2).
    key_lengths = [0, 1, 16, 32, 63, 64, 65, 127, 128, 129, 200]
    for i in range(300):
        key = rand(key_lengths[i % len(key_lengths)] if i < 110 else rng.randrange(0, 161))
        message = rand(rng.randrange(0, 401))
        case = {"key": key.hex(), "message": message.hex()}
        case.update(digests(message))
        case["hmac_sha256"] = hmac.new(key, message, hashlib.sha256).hexdigest()
        case["hmac_sha384"] = hmac.new(key, message, hashlib.sha384).hexdigest()
        case["hmac_sha512"] = hmac.new(key, message, hashlib.sha512).hexdigest()
        cases.append(case)

    pbkdf2 = []
    for i in range(24):
        hash_name = "sha256" if i % 2 == 0 else "sha512"
        password = rand(rng.randrange(0, 150))
        salt = rand(rng.randrange(0, 40))
        iterations = rng.randrange(1, 2500)
        length = rng.randrange(1, 150)
        pbkdf2.append({
            "hash": hash_name, "password": password.hex(), "salt": salt.hex(),
            "iterations": iterations, "length": length,
            "derived": hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, length).hex(),
        })

    phc = []
    for i in range(8):
        hash_name = "sha256" if i % 2 == 0 else "sha512"
        password = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 !é€") for _ in range(rng.randrange(1, 30)))
        salt = rand(16)
        iterations = rng.randrange(1000, 3000)
        derived = hashlib.pbkdf2_hmac(hash_name, password.encode(), salt, iterations, hashlib.new(hash_name).digest_size)
        phc.append({"password": password, "encoded": f"$pbkdf2-{hash_name}$i={iterations}${b64(salt)}${b64(derived)}"})

    document = {
        "generator": "scripts/vectors/gen_hash_vectors.py",
        "seed": SEED,
        "pattern": "pattern(n)[i] = (31 * i + 7) mod 256",
        "lengths": lengths,
        "long": long,
        "cases": cases,
        "pbkdf2": pbkdf2,
        "phc": phc,
    }
    with open(OUT, "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(lengths)} length, {len(long)} long, {len(cases)} random, {len(pbkdf2)} PBKDF2 and {len(phc)} PHC cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
