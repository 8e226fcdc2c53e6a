#!/usr/bin/env python3
"""Generates the API-key test vectors from independent Python implementations.

    python3 scripts/vectors/gen_apikey_vectors.py

Writes Tests/TokenCoreTests/Fixtures/apikey/{crc32,base62,keys}.json:
- crc32.json:  zlib.crc32 of deterministic pseudo-random inputs of many lengths;
- base62.json: fixed-width base62 (alphabet 0-9A-Za-z) of byte strings via Python integers;
- keys.json:   full API keys (prefix + base62(random) + base62(crc32(prefix + random part)) padded
               to 6 digits) with their SHA-256 (hashlib) and HMAC-SHA-256 (hmac) digests.

Inputs come from SHA-256 in counter mode over a fixed label, so reruns are byte-identical.
"""
import hashlib
import hmac
import json
import os
import zlib

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TokenCoreTests", "Fixtures", "apikey")


def stream(label, n):
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:n]


def base62_width(byte_count):
    w = 0
    while 62 ** w < 256 ** byte_count:
        w += 1
    return w


def base62_bytes(data):
    value = int.from_bytes(data, "big")
    digits = []
    for _ in range(base62_width(len(data))):
        value, r = divmod(value, 62)
        digits.append(ALPHABET[r])
    assert value == 0
    return "".join(reversed(digits))


def base62_int(value, width):
    digits = []
    for _ in range(width):
        value, r = divmod(value, 62)
        digits.append(ALPHABET[r])
    assert value == 0
    return "".join(reversed(digits))


def make_key(prefix, random_bytes):
    body = prefix + base62_bytes(random_bytes)
    return body + base62_int(zlib.crc32(body.encode()), 6)


def main():
    os.makedirs(OUT, exist_ok=True)

    crc = [{"input_hex": b"123456789".hex(), "crc32": zlib.crc32(b"123456789")}]
    for n in list(range(0, 65)) + [100, 255, 256, 1000, 4096]:
        data = stream(f"crc32-{n}", n)
        crc.append({"input_hex": data.hex(), "crc32": zlib.crc32(data)})

    b62 = []
    for n in list(range(1, 41)) + [64]:
        for variant in ("random", "zeros", "ones", "one"):
            if variant == "random":
                data = stream(f"base62-{n}", n)
            elif variant == "zeros":
                data = bytes(n)
            elif variant == "ones":
                data = b"\xff" * n
            else:
                data = bytes(n - 1) + b"\x01"
            b62.append({"bytes_hex": data.hex(), "base62": base62_bytes(data)})

    pepper = stream("pepper", 32)
    keys = []
    for i, (prefix, n) in enumerate([("tka_live_", 24)] * 8 + [("tka_test_", 24)] * 4 + [("acme_prod_", 20), ("x_", 32), ("tka_live_", 64)]):
        random_bytes = stream(f"key-{i}", n)
        key = make_key(prefix, random_bytes)
        keys.append({
            "prefix": prefix,
            "random_hex": random_bytes.hex(),
            "key": key,
            "sha256_hex": hashlib.sha256(key.encode()).hexdigest(),
            "hmac_sha256_hex": hmac.new(pepper, key.encode(), hashlib.sha256).hexdigest(),
        })

    for name, payload in (("crc32.json", crc), ("base62.json", b62),
                          ("keys.json", {"pepper_hex": pepper.hex(), "keys": keys})):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(payload, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
