#!/usr/bin/env python3
"""PyJWT side of the JWT interop tests (Tests/TokenCoreTests/JWTInteropTests.swift).

Reads a JSON array of operations on stdin and writes a JSON array of results on stdout:

  {"op": "sign", "alg": "HS256", "secret_hex": "...", "claims": {...}, "headers": {...}}
      -> {"token": "..."}
  {"op": "verify", "alg": "HS256", "secret_hex": "...", "token": "...",
   "audience": "api" | null, "issuer": "..." | null, "require": ["exp", ...]}
      -> {"claims": {...}, "header": {...}} or {"error": "ExceptionName: message"}

PyJWT checks exp/nbf/iat against the real clock, so the Swift side issues with the system clock.
"""
import json
import sys

import jwt


def run(op):
    key = bytes.fromhex(op["secret_hex"])
    if op["op"] == "sign":
        token = jwt.encode(op["claims"], key, algorithm=op["alg"], headers=op.get("headers") or None)
        return {"token": token}
    if op["op"] == "verify":
        try:
            claims = jwt.decode(
                op["token"],
                key,
                algorithms=[op["alg"]],
                audience=op.get("audience"),
                issuer=op.get("issuer"),
                options={"require": op.get("require", [])},
            )
            return {"claims": claims, "header": jwt.get_unverified_header(op["token"])}
        except Exception as error:  # report, never crash the batch
            return {"error": f"{type(error).__name__}: {error}"}
    return {"error": f"unknown op {op['op']}"}


def main():
    ops = json.load(sys.stdin)
    json.dump([run(op) for op in ops], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
